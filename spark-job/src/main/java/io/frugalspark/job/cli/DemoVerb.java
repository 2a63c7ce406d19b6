package io.frugalspark.job.cli;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.shard.UnigramBaseline;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal demo}: the embedded default (classpath {@code frugal-demo.conf}): tokenize the shipped
 * English corpus, train a small LLaMA with FRUGAL on two local workers, and compare validation
 * perplexity before and after with the unigram baseline on the same validation shards.
 */
final class DemoVerb implements Verb {
    static final String PRESET = "frugal-demo.conf";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Tokenize the shipped corpus, train a small model with FRUGAL on local Spark, evaluate and plot";
    }

    @Override
    public String usage() {
        return """
                usage: frugal demo [--config FILE] [--set key=value ...]

                The embedded default, a few minutes on 2 cores: tokenizes data/corpus/c4-en (C4 layout, shipped
                in the repository) with a 2048-token BPE, trains the `tiny` LLaMA with FRUGAL (block descending,
                rho 0.25) on two local Spark workers, evaluates, and prints validation perplexity before and
                after beside the unigram baseline. Settings: spark-job/src/main/resources/frugal-demo.conf
                (any key can be overridden with --set). Outputs under runs/demo/: tokens, checkpoints,
                metrics/metrics.jsonl and metrics/loss.png.
                """;
    }

    @Override
    public int run(CliArgs args, PrintStream out) throws Exception {
        FrugalConfig config = args.config(PRESET);
        out.println("resolved configuration:\n" + config.render());
        JavaSparkContext sc = SparkContexts.getOrCreate("frugal-demo");
        Manifest m = TokenizeJob.run(sc, TokenizeVerb.options(config, args), out);
        out.printf("tokens: %,d training and %,d validation sequences of %d tokens, vocabulary %d%n",
                m.split(Manifest.TRAIN).sequences(), m.split(Manifest.VALIDATION).sequences(), m.seqLen(), m.vocabSize());
        double unigram = UnigramBaseline.perplexity(config.getPath("data.output"));
        TrainResult r = new ParameterAveragingTrainer(sc, config, out).train(null);
        out.println();
        out.printf("validation perplexity before training  %10.2f%n", r.initialPerplexity());
        out.printf("validation perplexity after training   %10.2f%n", r.finalPerplexity());
        out.printf("unigram baseline on the same shards    %10.2f%n", unigram);
        out.printf("%d steps, %,d tokens in %.0f s (%,.0f tokens/s), optimizer state %,d bytes%n",
                r.steps(), r.tokens(), r.seconds(), r.tokensPerSecond(), r.optimizerStateBytes());
        out.println("metrics " + r.metrics() + "\nplot    " + r.plot());
        boolean learned = r.finalPerplexity() <= r.initialPerplexity() / 2 && r.finalPerplexity() < unigram;
        out.println(learned ? "the model beats the unigram baseline" : "WARNING: the model did not beat the unigram baseline");
        return 0;
    }
}
