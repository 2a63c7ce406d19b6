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
import io.frugalspark.data.tokenizer.Gpt4PreTokenizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./frugal bench tokenize}: BPE training time (counting and merges, one thread) and
 * end-to-end tokenize throughput (read, parse, tokenize, write) on local[1] and local[2], over
 * C4-layout files made by repeating the shipped corpus.
 * Options: --corpus DIR (data/corpus/c4-en), --mb 64 (raw text to tokenize; 0: every corpus document once),
 * --bpe-mb 20, --vocab 32000, --files 8, --work DIR (a temp dir), --tokenizers bpe (a comma list of the
 * tokenizers whose throughput is measured: {@code bpe} is the one trained here, any other is a tokenizer
 * name such as {@code o200k_base}); every tokenizer runs in the same SparkContext of each core count.
 */
public final class TokenizeBench {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private TokenizeBench() {}

    public static int run(String[] args, PrintStream out) throws Exception {
        Map<String, String> opt = options(args);
        Path corpus = Path.of(opt.getOrDefault("corpus", System.getProperty("frugal.home", ".") + "/data/corpus/c4-en"));
        Path work = Files.createDirectories(opt.containsKey("work") ? Path.of(opt.get("work")) : Files.createTempDirectory("frugal-bench"));
        List<String> docs = documents(corpus);
        out.printf("bench tokenize: %d documents from %s, work dir %s%n", docs.size(), corpus, work);

        ByteLevelBpe bpe = trainBpe(docs, (long) (Double.parseDouble(opt.getOrDefault("bpe-mb", "20")) * 1e6),
                Integer.parseInt(opt.getOrDefault("vocab", "32000")), out);
        Path ranks = work.resolve("bench.tiktoken");
        Files.writeString(ranks, bpe.toTiktoken());

        Path input = work.resolve("input");
        int files = Integer.parseInt(opt.getOrDefault("files", "8"));
        long textBytes = writeInput(docs, input, (long) (Double.parseDouble(opt.getOrDefault("mb", "64")) * 1e6), files);
        out.printf("input: %.1f MB of raw text in %d files in %s%n", textBytes / 1e6, files, input);
        List<String> names = tokenizers(opt.getOrDefault("tokenizers", "bpe"));
        Map<String, double[]> perCore = new LinkedHashMap<>();
        for (int cores = 1; cores <= 2; cores++) {
            SparkConf conf = new SparkConf().setMaster("local[" + cores + "]").setAppName("bench-tokenize")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                for (String name : names) {
                    String spec = name.equals("bpe") ? ranks.toString() : name;
                    perCore.computeIfAbsent(name, k -> new double[2])[cores - 1] =
                            throughput(sc, cores, name, spec, input, inputFileName(0, files), work, out);
                }
            }
        }
        perCore.forEach((name, p) -> out.printf("speedup 1 -> 2 cores, %s: %.2fx%n", name, 2 * p[1] / p[0]));
        return 0;
    }

    /** The names of {@code --tokenizers}: {@code bpe} (trained here) or tokenizer names, in order, no repeats. */
    static List<String> tokenizers(String list) {
        List<String> names = new ArrayList<>();
        for (String n : list.split(",")) {
            String t = n.strip();
            if (!t.isEmpty() && !names.contains(t)) {
                names.add(t);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--tokenizers needs at least one name (bpe, o200k_base, ...)");
        }
        return names;
    }

    static String inputFileName(int file, int files) {
        return String.format("c4-train.%05d-of-%05d.json.gz", file, files);
    }

    private static ByteLevelBpe trainBpe(List<String> docs, long sampleBytes, int vocab, PrintStream out) {
        long t0 = System.nanoTime();
        Map<String, Long> counts = new HashMap<>();
        long used = 0;
        for (int i = 0; used < sampleBytes; i = (i + 1) % docs.size()) {
            Gpt4PreTokenizer.forEachPiece(docs.get(i), piece -> counts.merge(piece, 1L, Long::sum));
            used += HashSplit.utf8Length(docs.get(i));
        }
        long t1 = System.nanoTime();
        ByteLevelBpe bpe = BpeTrainer.train(counts, vocab - 3);
        long t2 = System.nanoTime();
        out.printf("bpe training: %.1f MB sample, %d distinct words, %d merges: counting %.1f s, merges %.1f s, total %.1f s%n",
                used / 1e6, counts.size(), bpe.numRanks() - 256, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
        return bpe;
    }

    private static double throughput(JavaSparkContext sc, int cores, String name, String spec, Path input, String warmupFile,
            Path work, PrintStream out) {
        TokenizeOptions.Builder b = TokenizeOptions.builder().tokenizer(spec).seqLen(256);
        String tag = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + cores;
        TokenizeJob.run(sc, b.input(input.resolve(warmupFile).toString())
                .output(work.resolve("warmup-" + tag).toString()).build()); // JIT and executor warm-up
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Manifest m = TokenizeJob.run(sc, b.input(input.toString()).output(work.resolve("out-" + tag).toString()).build());
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        long bytes = m.splits().values().stream().mapToLong(Manifest.Split::textBytes).sum();
        long tokens = m.splits().values().stream().mapToLong(Manifest.Split::tokens).sum();
        double perCore = bytes / 1e6 / s / cores;
        out.printf("%s local[%d]: %.1f MB text, %d tokens in %.1f s: %.2f MB/s, %.2f MB/s per core; %.1f CPU s (%.2f MB per CPU second)%n",
                name, cores, bytes / 1e6, tokens, s, bytes / 1e6 / s, perCore, cpu, bytes / 1e6 / cpu);
        return perCore;
    }

    /** CPU time of the whole JVM: on a shared machine wall time also measures the neighbours. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Repeats the documents round-robin into {@code files} C4-layout gzip files until {@code targetBytes} of text;
     * {@code targetBytes <= 0}: every document once. Returns the bytes of text written.
     */
    static long writeInput(List<String> docs, Path dir, long targetBytes, int files) throws IOException {
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("no documents to write");
        }
        Files.createDirectories(dir);
        List<OutputStream> outs = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            outs.add(new GZIPOutputStream(Files.newOutputStream(dir.resolve(inputFileName(f, files))), 1 << 16));
        }
        long bytes = 0;
        for (int i = 0; targetBytes <= 0 ? i < docs.size() : bytes < targetBytes; i++) {
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
