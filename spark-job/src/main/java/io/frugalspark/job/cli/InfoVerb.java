package io.frugalspark.job.cli;

import java.io.PrintStream;
import org.nd4j.linalg.factory.Nd4j;

/** Prints the runtime: ND4J backend, BLAS vendor, threads, Spark and Java versions. */
final class InfoVerb implements Verb {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "Print the ND4J backend, BLAS vendor, thread count, Spark and Java versions";
    }

    @Override
    public String usage() {
        return "usage: frugal info\n\nPrints the ND4J backend and BLAS in use, ND4J's thread count, the Spark, Scala and Java versions.\n";
    }

    @Override
    public int run(CliArgs args, PrintStream out) {
        out.println("frugal-spark     " + FrugalCli.class.getPackage().getImplementationVersion());
        out.println("nd4j backend     " + Nd4j.getBackend().getClass().getSimpleName()
                + " (" + Nd4j.getExecutioner().getClass().getSimpleName() + ")");
        out.println("blas vendor      " + Nd4j.factory().blas().getBlasVendor());
        out.println("nd4j threads     " + Nd4j.getEnvironment().maxMasterThreads()
                + " (blas " + Nd4j.factory().blas().getMaxThreads() + ")");
        out.println("data type        " + Nd4j.dataType());
        out.println("spark            " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + " (scala " + scala.util.Properties.versionNumberString() + ")");
        out.println("java             " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.println("cpus             " + Runtime.getRuntime().availableProcessors());
        out.println("max heap         " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        return 0;
    }
}
