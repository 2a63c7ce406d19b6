package io.frugalspark.job.cli;

import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.bench.TokenizeBench;
import io.frugalspark.job.bench.MethodComparison;
import io.frugalspark.job.bench.Soak;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.model.ModelBench;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/** {@code ./frugal bench WHAT}: the end-to-end benchmarks; results go to markdown files with the machine and date. */
final class BenchVerb implements Verb {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Benchmarks: methods comparison, memory soak, model forward/backward, tokenizer throughput";
    }

    @Override
    public String usage() {
        return """
                usage: frugal bench WHAT [--config FILE] [--set key=value ...] [--out DIR] [--budget-minutes N]

                  methods   every method at one token budget (the demo's setup, or --config
                            conf/bench/methods-small.conf for the `small` model on the real-text corpus): the method's
                            lrs, then its regular group at 4x the best; 3 seeds for AdamW, FRUGAL and both AdaFRUGALs;
                            writes DIR/methods.md and DIR/methods-loss.png. Finished runs are kept and skipped, and no
                            run starts after --budget-minutes (150): repeat to continue
                  soak      1000 rounds of period 1 on the demo setup; driver and executor memory over the run,
                            DIR/soak.md and DIR/soak-memory.png
                  model     forward + backward tokens/s and GFLOP/s of one model (options: --preset llama-60m --batch 8
                            --seq 256 --vocab 32000 --steps 3 --warmup 1 [--sltrain] [--recompute] [--profile])
                  tokenize  BPE training time and end-to-end tokenize MB/s on local[1] and local[2]
                            (options: --corpus DIR --mb 64 (0: every document once) --bpe-mb 20 --vocab 32000
                            --files 8 --work DIR --tokenizers bpe[,o200k_base,...] (bpe: the one trained here))
                The optimizer step benchmark is JMH: see optimizers/BENCHMARKS.md.
                Settings start from the demo preset (frugal-demo.conf); --set overrides any key. DIR defaults to runs/bench.
                """;
    }

    @Override
    public boolean rawArguments() {
        return true;
    }

    @Override
    public int run(CliArgs raw, PrintStream out) throws Exception {
        if (raw.positional().isEmpty()) {
            System.err.print(usage());
            return 2;
        }
        String what = raw.positional().get(0);
        String[] rest = raw.positional().subList(1, raw.positional().size()).toArray(String[]::new);
        if (what.equals("tokenize")) {
            return TokenizeBench.run(rest, out);
        }
        if (what.equals("model")) {
            return ModelBench.run(rest, out);
        }
        CliArgs args = CliArgs.parse(rest, Set.of("out", "budget-minutes"), Set.of());
        Path dir = Path.of(args.option("out", Path.of(System.getProperty("frugal.home", "."), "runs/bench").toString()));
        Files.createDirectories(dir);
        return switch (what) {
            case "methods" -> methods(args, dir, out);
            case "soak" -> soak(args, dir, out);
            default -> {
                System.err.println("frugal bench: unknown benchmark '" + what + "'\n" + usage());
                yield 2;
            }
        };
    }

    private static int methods(CliArgs args, Path dir, PrintStream out) throws Exception {
        FrugalConfig c = args.config(DemoVerb.PRESET);
        JavaSparkContext sc = SparkContexts.getOrCreate("frugal-bench-methods");
        Duration budget = Duration.ofMinutes(Long.parseLong(args.option("budget-minutes", "150")));
        Path md = new MethodComparison(sc, c, dir, out, budget).run(cfg -> {
            TokenizeJob.run(sc, TokenizeVerb.options(cfg, args), out);
            return cfg.getPath("data.output");
        });
        out.println("results: " + md);
        return 0;
    }

    private static int soak(CliArgs args, Path dir, PrintStream out) throws Exception {
        FrugalConfig c = args.config(DemoVerb.PRESET, List.of("train.averaging.period=1", "train.steps=1000",
                "train.global_batch=4", "train.micro_batch=2", "eval.every=0", "eval.tokens=2000", "checkpoint.every=0",
                "metrics.dir=" + dir.resolve("soak"), "checkpoint.dir=" + dir.resolve("soak/ckpt")));
        JavaSparkContext sc = SparkContexts.getOrCreate("frugal-bench-soak");
        TokenizeJob.run(sc, TokenizeVerb.options(c, args), out);
        out.println("results: " + Soak.run(sc, c, dir, out));
        return 0;
    }
}
