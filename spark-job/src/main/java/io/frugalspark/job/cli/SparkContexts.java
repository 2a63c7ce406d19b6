package io.frugalspark.job.cli;

import io.frugalspark.job.gpu.GpuSupport;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/** The CLI's Spark context: the one spark-submit configured, or local[*] when no master is given. */
public final class SparkContexts {
    private SparkContexts() {}

    public static JavaSparkContext getOrCreate(String appName) {
        GpuSupport.checkBeforeNd4jLoads();
        SparkConf conf = new SparkConf()
                .setAppName(appName)
                .setIfMissing("spark.master", System.getProperty("spark.master", "local[*]"))
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.driver.maxResultSize", "2g");
        if (conf.get("spark.master").startsWith("local")) {
            // Local runs stay on loopback (no address of the machine's network interfaces).
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        sc.setLogLevel("WARN");
        return sc;
    }
}
