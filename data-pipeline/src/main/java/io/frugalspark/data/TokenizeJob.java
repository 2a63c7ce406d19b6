package io.frugalspark.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.frugalspark.data.input.InputFile;
import io.frugalspark.data.input.InputFiles;
import io.frugalspark.data.input.SkipLog;
import io.frugalspark.data.tokenizer.BpeTrainer;
import io.frugalspark.data.tokenizer.ByteLevelBpe;
import io.frugalspark.data.tokenizer.JtokkitTokenizer;
import io.frugalspark.data.tokenizer.Tokenizer;
import io.frugalspark.data.tokenizer.TokenizerSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Tokenize and shard a corpus: list the inputs, train or load the tokenizer, tokenize every input
 * file not already done in Spark tasks, then write the manifest last. Re-running with the same
 * config returns the complete output without work; a different config refuses unless overwrite.
 */
public final class TokenizeJob {
    private TokenizeJob() {}

    public static Manifest run(JavaSparkContext sc, TokenizeOptions o) {
        return run(sc, o, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    /** @param log progress lines for a console */
    public static Manifest run(JavaSparkContext sc, TokenizeOptions o, PrintStream log) {
        Configuration conf = sc.hadoopConfiguration();
        OutputDir out = new OutputDir(o.output(), conf);
        try {
            List<InputFile> files = InputFiles.list(o.input(), conf); // first: a bad input leaves the output as it was
            Manifest done = prepare(out, o, log);
            if (done != null) {
                return done;
            }
            int partitions = o.partitions() > 0 ? o.partitions() : files.size();
            log.printf("tokenize: %d input files under %s%n", files.size(), o.input());
            TokenizerSpec spec = tokenizer(sc, o, files, partitions, log);
            Map<Integer, FileResult> results = new TreeMap<>(out.completed(files));
            List<InputFile> pending = files.stream().filter(f -> !results.containsKey(f.index())).toList();
            log.printf("tokenize: %d files to do (%d done by an earlier attempt)%n", pending.size(), results.size());
            for (FileResult r : tokenizeFiles(sc, o, spec, pending, partitions)) {
                results.put(r.index(), r);
            }
            Manifest m = manifest(o, spec, results.values());
            out.commit(m);
            return Manifest.fromJson(m.toJson()); // the same object a later no-op run reads back
        } catch (IOException e) {
            throw new UncheckedIOException("tokenize output " + o.output() + ": " + e.getMessage(), e);
        }
    }

    /** The complete output to return as is, or null after making the directory ready for this config. */
    private static Manifest prepare(OutputDir out, TokenizeOptions o, PrintStream log) throws IOException {
        String hash = o.configHash();
        Manifest existing = out.manifest();
        if (existing != null && hash.equals(existing.configHash())) {
            log.printf("tokenize: %s is complete for this config (hash %s), nothing to do%n", o.output(), hash.substring(0, 12));
            return existing;
        }
        String other = existing != null ? existing.configHash() : out.startedHash();
        if (other == null && !out.isEmptyOrAbsent()) {
            throw new IllegalStateException("output " + o.output() + " exists and is not a tokenize output (" + out.describe()
                    + "); choose another data.output");
        }
        if (other != null && !other.equals(hash)) {
            if (!o.overwrite()) {
                throw new IllegalStateException("output " + o.output() + " was written with a different config (hash "
                        + other.substring(0, 12) + ", this one " + hash.substring(0, 12) + "); pass --overwrite to replace it");
            }
            log.printf("tokenize: replacing %s (different config, --overwrite)%n", o.output());
            out.clear();
        }
        out.begin(hash, o.identity());
        return null;
    }

    /** Built-in by name; "bpe" trained here (or reused from an earlier attempt); else a .tiktoken or tokenizer.json path. */
    private static TokenizerSpec tokenizer(JavaSparkContext sc, TokenizeOptions o, List<InputFile> files, int partitions, PrintStream log) {
        String t = o.tokenizer();
        Configuration conf = sc.hadoopConfiguration();
        if (JtokkitTokenizer.isBuiltIn(t)) {
            return TokenizerSpec.builtIn(t);
        }
        TokenizerSpec spec;
        if (t.equals("bpe")) {
            TokenizerSpec saved = TokenizerSpec.readSaved(o.output(), TokenizerSpec.BPE, null, conf);
            if (saved != null) {
                log.println("tokenize: using the BPE tokenizer saved by an earlier attempt");
                return saved;
            }
            spec = trainBpe(sc, o, files, partitions, log);
        } else if (t.endsWith(".tiktoken")) {
            spec = TokenizerSpec.bpeFile(t, conf);
        } else {
            spec = TokenizerSpec.huggingFace(t, conf);
        }
        spec.save(o.output(), conf);
        return spec;
    }

    private static TokenizerSpec trainBpe(JavaSparkContext sc, TokenizeOptions o, List<InputFile> files, int partitions, PrintStream log) {
        long t0 = System.nanoTime();
        sc.setJobDescription("tokenize: count BPE sample words");
        Map<String, Long> words = withInputErrors(() -> BpeSample.wordCounts(sc, o, files, partitions));
        long t1 = System.nanoTime();
        ByteLevelBpe bpe = BpeTrainer.train(words, o.vocabSize() - 3);
        if (bpe.vocabSize() < o.vocabSize()) {
            log.printf("tokenize: the sample allows only %d ids (asked %d); the manifest has the real size%n", bpe.vocabSize(), o.vocabSize());
        }
        TokenizerSpec spec = TokenizerSpec.bpe(bpe);
        log.printf("tokenize: BPE %d ids from %d distinct words: sample %.1fs, merges %.1fs%n", bpe.vocabSize(), words.size(),
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        return spec;
    }

    private static List<FileResult> tokenizeFiles(JavaSparkContext sc, TokenizeOptions o, TokenizerSpec spec,
                                                  List<InputFile> pending, int partitions) {
        if (pending.isEmpty()) {
            return List.of();
        }
        sc.setJobDescription("tokenize: " + pending.size() + " files -> " + o.output());
        FileTokenizer task = new FileTokenizer(o, spec, sc.hadoopConfiguration());
        return withInputErrors(() -> sc.parallelize(pending, Math.min(partitions, pending.size())).mapPartitions(task).collect());
    }

    /** Spark wraps task failures (in a SparkException it throws undeclared); surface the input error's message. */
    private static <T> T withInputErrors(java.util.function.Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BadInputException) {
                    throw new BadInputException(c.getMessage(), e);
                }
            }
            String msg = String.valueOf(e.getMessage());
            String marker = BadInputException.class.getName() + ": ";
            int at = msg.indexOf(marker);
            if (at >= 0) {
                String rest = msg.substring(at + marker.length());
                throw new BadInputException(rest.lines().findFirst().orElse(rest), e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(msg, e);
        }
    }

    private static Manifest manifest(TokenizeOptions o, TokenizerSpec spec, Iterable<FileResult> results) {
        Map<String, List<Manifest.Shard>> shards = new LinkedHashMap<>();
        shards.put(Manifest.TRAIN, new ArrayList<>());
        shards.put(Manifest.VALIDATION, new ArrayList<>());
        SkipLog skips = new SkipLog();
        for (FileResult r : results) { // index order: shard lists and skip examples are stable
            r.shards().forEach((split, s) -> shards.get(split).add(s));
            skips.addAll(SkipLog.fromManifest(r.skipped()));
        }
        Map<String, Manifest.Split> splits = new LinkedHashMap<>();
        shards.forEach((name, list) -> splits.put(name, new Manifest.Split(
                list.stream().mapToLong(Manifest.Shard::sequences).sum(), list.stream().mapToLong(Manifest.Shard::tokens).sum(),
                list.stream().mapToLong(Manifest.Shard::documents).sum(), list.stream().mapToLong(Manifest.Shard::textBytes).sum(),
                List.copyOf(list))));
        try (Tokenizer t = spec.open()) {
            return new Manifest(Manifest.VERSION, t.vocabSize(), t.bosId(), t.eosId(), t.padId(), o.seqLen(), o.mode().label(),
                    ShardDtype.forVocab(t.vocabSize()).label(), splits, skips.toManifest(), spec.info(), config(o), o.configHash());
        }
    }

    private static JsonNode config(TokenizeOptions o) {
        if (o.resolvedConfigJson() == null) {
            return o.identity();
        }
        try {
            return Manifest.JSON.readTree(o.resolvedConfigJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("resolved config is not JSON: " + e.getMessage(), e);
        }
    }
}
