package io.frugalspark.job.cli;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.job.config.FrugalConfig;
import io.frugalspark.job.config.TokenizeSettings;
import java.io.PrintStream;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;

/** {@code ./frugal tokenize}: the data section of the config drives {@link TokenizeJob}. */
final class TokenizeVerb implements Verb {
    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "Tokenize and shard a corpus (C4 json.gz, VietVault parquet/jsonl) onto any Hadoop FileSystem";
    }

    @Override
    public String usage() {
        return """
                usage: frugal tokenize [--config FILE] [--set data.key=value ...] [--overwrite] [--on-error fail|skip] [--master URL]

                Reads data.input (a file, directory or glob on any Hadoop FileSystem URI), trains or loads the
                tokenizer (data.tokenizer: bpe | a jtokkit encoding such as o200k_base | a tokenizer.json path),
                and writes token shards plus manifest.json to data.output.
                Re-running over a complete output of the same config does nothing and exits 0; an interrupted
                run resumes per input file; an output of a different config is refused unless --overwrite.
                  --overwrite        replace an output written with a different config
                  --on-error MODE    fail (default: data.on_error) | skip unreadable input files, counted in the manifest
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("on-error");
    }

    @Override
    public Set<String> flags() {
        return Set.of("overwrite");
    }

    @Override
    public int run(CliArgs args, PrintStream out) {
        FrugalConfig config = args.config();
        TokenizeOptions options = options(config, args);
        out.println("frugal tokenize: " + options.input() + " -> " + options.output());
        long t0 = System.nanoTime();
        JavaSparkContext sc = SparkContexts.getOrCreate("frugal tokenize");
        Manifest m = TokenizeJob.run(sc, options, out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        printSummary(m, seconds, out);
        return 0;
    }

    static TokenizeOptions options(FrugalConfig c, CliArgs args) {
        return TokenizeSettings.from(c, args.option("on-error", null), args.flag("overwrite"));
    }

    private static void printSummary(Manifest m, double seconds, PrintStream out) {
        out.printf("tokenizer %s, vocab %d (bos %d, eos %d, pad %d), seq_len %d, mode %s, dtype %s%n",
                m.tokenizer().name(), m.vocabSize(), m.bosId(), m.eosId(), m.padId(), m.seqLen(), m.mode(), m.dtype());
        for (var e : m.splits().entrySet()) {
            Manifest.Split s = e.getValue();
            out.printf("%-10s %3d shards %9d sequences %11d tokens %8d documents %7.1f MB text%n",
                    e.getKey(), s.shards().size(), s.sequences(), s.tokens(), s.documents(), s.textBytes() / 1e6);
        }
        m.skipped().forEach((reason, s) -> out.printf("skipped    %-16s %d (e.g. %s)%n", reason, s.count(), s.examples()));
        out.printf("done in %.1f s%n", seconds);
    }
}
