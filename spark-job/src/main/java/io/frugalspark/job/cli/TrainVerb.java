package io.frugalspark.job.cli;

import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.train.DryRun;
import io.frugalspark.job.train.ParameterAveragingTrainer;
import io.frugalspark.job.train.TrainResult;
import java.io.PrintStream;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

final class TrainVerb implements Verb {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "Train a LLaMA model with a FRUGAL-family optimizer by parameter averaging on Spark";
    }

    @Override
    public String usage() {
        return """
                usage: frugal train [--config FILE] [--set key=value ...] [--master URL] [--resume latest|DIR] [--dry-run]

                Trains the model of `model.*` on the token shards in `data.output` with the optimizer preset
                `optimizer.preset`, by parameter averaging over `train.workers` Spark tasks that each run
                `train.averaging.period` local steps per round. Writes one JSON line per round to
                `metrics.dir`/metrics.jsonl, a loss plot to `metrics.dir`/loss.png, and checkpoints to
                `checkpoint.dir` (every `checkpoint.every` steps and at the end).

                  --resume latest   continue from the newest committed checkpoint (fresh if there is none)
                  --resume DIR      continue from that checkpoint
                  --dry-run         print parameter count, optimizer-state bytes, per-executor memory,
                                    tokens per step and an ETA from measured throughput; no training
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("resume");
    }

    @Override
    public Set<String> flags() {
        return Set.of("dry-run");
    }

    @Override
    public int run(CliArgs args, PrintStream out) throws Exception {
        FrugalConfig config = args.config();
        out.println("resolved configuration:\n" + config.render());
        if (args.flag("dry-run")) {
            DryRun.print(config, out);
            return 0;
        }
        ParameterAveragingTrainer.validate(config);
        JavaSparkContext sc = SparkContexts.getOrCreate("frugal-train");
        TrainResult r = new ParameterAveragingTrainer(sc, config, out).train(args.option("resume", null));
        out.printf("done: %d steps, validation perplexity %.2f -> %.2f, %,.0f tokens/s, metrics %s, plot %s%n",
                r.steps(), r.initialPerplexity(), r.finalPerplexity(), r.tokensPerSecond(), r.metrics(), r.plot());
        return 0;
    }
}
