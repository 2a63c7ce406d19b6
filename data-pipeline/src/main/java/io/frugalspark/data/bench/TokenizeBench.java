package io.frugalspark.data.bench;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.TokenizeJob;
import io.frugalspark.data.TokenizeOptions;
import io.frugalspark.data.input.Document;
import io.frugalspark.data.input.DocumentSource;
import io.frugalspark.data.input.HashSplit;
import io.frugalspark.data.input.SkipLog;
import io.frugalspark.data.tokenizer.BpeTrainer;
import io.frugalspark.data.tokenizer.ByteLevelBpe;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal bench tokenize}: BPE training time (counting and merges, one thread) and
 * end-to-end tokenize throughput (read, parse, tokenize, write) on local[1] and local[2], over
 * C4-layout files made by repeating the shipped corpus.
 * Options: --corpus DIR (data/corpus/c4-en), --mb 64 (raw text to tokenize), --bpe-mb 20,
 * --vocab 32000, --files 8, --work DIR (a temp dir).
 */
public final class TokenizeBench {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private TokenizeBench() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        Map<String, String> opt = options(args);
        Path corpus = Path.of(opt.getOrDefault("corpus", System.getProperty("frugal.home", ".") + "/data/corpus/c4-en"));
        Path work = Files.createDirectories(opt.containsKey("work") ? Path.of(opt.get("work")) : Files.createTempDirectory("frugal-bench"));
        List<String> docs = documents(corpus);
        out.printf("bench tokenize: %d shipped documents, work dir %s%n", docs.size(), work);

        ByteLevelBpe bpe = trainBpe(docs, (long) (Double.parseDouble(opt.getOrDefault("bpe-mb", "20")) * 1e6),
                Integer.parseInt(opt.getOrDefault("vocab", "32000")), out);
        Path ranks = work.resolve("bench.tiktoken");
        Files.writeString(ranks, bpe.toTiktoken());

        Path input = work.resolve("input");
        long textBytes = writeInput(docs, input, (long) (Double.parseDouble(opt.getOrDefault("mb", "64")) * 1e6),
                Integer.parseInt(opt.getOrDefault("files", "8")));
        out.printf("input: %.1f MB of raw text in %s%n", textBytes / 1e6, input);
        double perCore1 = throughput(1, input, ranks, work, out);
        double perCore2 = throughput(2, input, ranks, work, out);
        out.printf("speedup 1 -> 2 cores: %.2fx%n", 2 * perCore2 / perCore1);
        return 0;
    }

    private static ByteLevelBpe trainBpe(List<String> docs, long sampleBytes, int vocab, PrintStream out) {
        long t0 = System.nanoTime();
        Map<String, Long> counts = new HashMap<>();
        long used = 0;
        for (int i = 0; used < sampleBytes; i = (i + 1) % docs.size()) {
            Matcher m = ByteLevelBpe.PATTERN.matcher(docs.get(i));
            while (m.find()) {
                counts.merge(m.group(), 1L, Long::sum);
            }
            used += HashSplit.utf8Length(docs.get(i));
        }
        long t1 = System.nanoTime();
        ByteLevelBpe bpe = BpeTrainer.train(counts, vocab - 3);
        long t2 = System.nanoTime();
        out.printf("bpe training: %.1f MB sample, %d distinct words, %d merges: counting %.1f s, merges %.1f s, total %.1f s%n",
                used / 1e6, counts.size(), bpe.numRanks() - 256, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
        return bpe;
    }

    private static double throughput(int cores, Path input, Path ranks, Path work, PrintStream out) {
        SparkConf conf = new SparkConf().setMaster("local[" + cores + "]").setAppName("bench-tokenize")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            TokenizeOptions.Builder b = TokenizeOptions.builder().tokenizer(ranks.toString()).seqLen(256);
            TokenizeJob.run(sc, b.input(input.resolve("c4-train.00000-of-00008.json.gz").toString())
                    .output(work.resolve("warmup-" + cores).toString()).build()); // JIT and executor warm-up
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            Manifest m = TokenizeJob.run(sc, b.input(input.toString()).output(work.resolve("out-" + cores).toString()).build());
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            long bytes = m.splits().values().stream().mapToLong(Manifest.Split::textBytes).sum();
            long tokens = m.splits().values().stream().mapToLong(Manifest.Split::tokens).sum();
            double perCore = bytes / 1e6 / s / cores;
            out.printf("local[%d]: %.1f MB text, %d tokens in %.1f s: %.2f MB/s, %.2f MB/s per core; %.1f CPU s (%.2f MB per CPU second)%n",
                    cores, bytes / 1e6, tokens, s, bytes / 1e6 / s, perCore, cpu, bytes / 1e6 / cpu);
            return perCore;
        }
    }

    /** CPU time of the whole JVM: on a shared machine wall time also measures the neighbours. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Repeats the shipped documents round-robin into {@code files} C4-layout gzip files. */
    private static long writeInput(List<String> docs, Path dir, long targetBytes, int files) throws IOException {
        Files.createDirectories(dir);
        List<OutputStream> outs = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            outs.add(new GZIPOutputStream(Files.newOutputStream(dir.resolve(String.format("c4-train.%05d-of-%05d.json.gz", f, files))), 1 << 16));
        }
        long bytes = 0;
        for (int i = 0; bytes < targetBytes; i++) {
            String text = docs.get(i % docs.size());
            String line = JSON.createObjectNode().put("text", text).put("timestamp", "2019-04-25T12:00:00Z")
                    .put("url", "https://example.org/" + i).toString() + "\n";
            outs.get(i % files).write(line.getBytes(StandardCharsets.UTF_8));
            bytes += HashSplit.utf8Length(text);
        }
        for (OutputStream o : outs) {
            o.close();
        }
        return bytes;
    }

    private static List<String> documents(Path corpus) throws IOException {
        List<String> docs = new ArrayList<>();
        try (var files = Files.list(corpus)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("c4-train")).sorted().toList()) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.toUri());
                DocumentSource.forFile(p, "text", 0).read(p, new Configuration(), new SkipLog(), (Document d) -> docs.add(d.text()));
            }
        }
        return docs;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
