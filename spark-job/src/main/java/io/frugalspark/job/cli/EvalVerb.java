package io.frugalspark.job.cli;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import java.io.PrintStream;
import java.util.Set;

final class EvalVerb implements Verb {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "Evaluate a checkpoint's validation perplexity";
    }

    @Override
    public String usage() {
        return """
                usage: frugal eval [--config FILE] [--set key=value ...] [--checkpoint latest|DIR]

                Loads a committed checkpoint (default: the newest under `checkpoint.dir`) and prints the
                validation loss and perplexity over `eval.tokens` target tokens of the validation shards
                of `data.output`: exp of the token-weighted mean loss.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("checkpoint");
    }

    @Override
    public int run(CliArgs args, PrintStream out) throws Exception {
        FrugalConfig config = args.config();
        ParameterAveragingTrainer t = new ParameterAveragingTrainer(SparkContexts.getOrCreate("frugal-eval"), config, out);
        String which = args.option("checkpoint", "latest");
        if (!t.restoreFrom(which)) {
            System.err.println("frugal eval: no committed checkpoint under " + config.getPath("checkpoint.dir"));
            return 1;
        }
        double loss = t.evaluate();
        out.printf("validation loss %.4f, perplexity %.3f%n", loss, Math.exp(loss));
        return 0;
    }
}
