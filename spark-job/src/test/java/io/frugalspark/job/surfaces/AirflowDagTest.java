package io.frugalspark.job.surfaces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.data.Manifest;
import io.frugalspark.job.cli.FrugalCli;
import io.frugalspark.job.io.MetricsLog;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the spark-submit arguments that airflow/frugal_pipeline.json declares for the DAG, rendered as
 * Airflow would, through Spark's SparkSubmit in forked JVMs (local master, client mode) on the
 * shipped corpus; only paths and the size (the config file, which includes the DAG's default preset,
 * and executor_cores) are the test's. Then retries tokenize and train, as Airflow does after a failure.
 */
class AirflowDagTest {
    private static final Path REPO = SharedFiles.repoRoot();
    private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*params\\.(\\w+)\\s*}}");
    @TempDir
    Path work;

    @Test
    void theDeclaredSparkSubmitsRunThePipelineAndRetriesChangeNothing() throws Exception {
        JsonNode spec = new ObjectMapper().readTree(REPO.resolve("airflow/frugal_pipeline.json").toFile());
        Map<String, String> params = new LinkedHashMap<>();
        spec.get("params").fields().forEachRemaining(p -> params.put(p.getKey(), home(p.getValue().get("default").asText())));
        Path tiny = work.resolve("tiny.conf");
        Files.writeString(tiny, "include file(\"" + params.get("config") + "\")\n"
                + "data { vocab_size = 384, seq_len = 17, bpe_sample_bytes = 200000 }\n"
                + "model.preset = \"tiny\"\n"
                + "train { global_batch = 4, micro_batch = 2, workers = 2, steps = 4 }\n"
                + "eval.tokens = 256\n");
        params.putAll(Map.of("config", tiny.toString(), "corpus", REPO.resolve("data/corpus/c4-en").toString(),
                "tokens", work.resolve("tokens").toString(), "checkpoints", work.resolve("checkpoints").toString(),
                "metrics", work.resolve("metrics").toString(), "export", work.resolve("export").toString(),
                "executor_cores", "1"));
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        spec.get("tasks").forEach(t -> tasks.put(t.get("task_id").asText(), t));
        assertEquals(List.of("tokenize", "train", "eval", "export"), List.copyOf(tasks.keySet()));
        Path jar = applicationJar();

        Map<String, String> out = new LinkedHashMap<>();
        tasks.forEach((id, task) -> out.put(id, submit(spec, task, params, jar)));

        Manifest manifest = Manifest.read(params.get("tokens"));
        assertEquals(384, manifest.vocabSize());
        Path metricsFile = Path.of(params.get("metrics"), "metrics.jsonl");
        List<Map<String, Object>> rows = MetricsLog.read(metricsFile);
        Map<String, Object> last = rows.get(rows.size() - 1);
        assertEquals(4, ((Number) last.get("step")).intValue());
        assertTrue(Files.exists(work.resolve("checkpoints/step-00000004/_COMMITTED")));
        Matcher eval = Pattern.compile("validation loss (\\S+), perplexity").matcher(out.get("eval"));
        assertTrue(eval.find(), out.get("eval"));
        assertEquals(((Number) last.get("val_loss")).doubleValue(), Double.parseDouble(eval.group(1)), 1e-4);
        JsonNode hf = new ObjectMapper().readTree(work.resolve("export/config.json").toFile());
        assertEquals(384, hf.get("vocab_size").asInt());
        assertEquals(64, hf.get("hidden_size").asInt());
        assertTrue(Files.size(work.resolve("export/model.safetensors")) > 0);

        byte[] manifestBytes = Files.readAllBytes(work.resolve("tokens/manifest.json"));
        byte[] metricsBytes = Files.readAllBytes(metricsFile);
        submit(spec, tasks.get("tokenize"), params, jar);
        assertTrue(submit(spec, tasks.get("train"), params, jar).contains("resumed from"));
        assertArrayEquals(manifestBytes, Files.readAllBytes(work.resolve("tokens/manifest.json")));
        assertArrayEquals(metricsBytes, Files.readAllBytes(metricsFile));
        try (Stream<Path> cps = Files.list(work.resolve("checkpoints"))) {
            assertEquals(List.of("step-00000004"), cps.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * spark-submit as SparkSubmitOperator builds it: the connection's master and deploy mode (here
     * local, client; no UI), then the DAG's confs, properties file, name, class, jar and arguments.
     */
    private String submit(JsonNode spec, JsonNode task, Map<String, String> params, Path jar) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=2G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=5G",
                "-Dlog4j2.configurationFile=" + REPO.resolve("conf/log4j2.properties"),
                "-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--deploy-mode", "client", "--conf", "spark.ui.enabled=false"));
        spec.get("conf").fields().forEachRemaining(c -> cmd.addAll(List.of("--conf", c.getKey() + "=" + render(c.getValue().asText(), params))));
        cmd.addAll(List.of("--properties-file", home(spec.get("properties_file").asText()),
                "--name", "frugal-" + task.get("task_id").asText(), "--class", spec.get("java_class").asText(), jar.toString(),
                task.get("verb").asText()));
        spec.get("common_args").forEach(a -> cmd.add(render(a.asText(), params)));
        task.get("args").forEach(a -> cmd.add(render(a.asText(), params)));
        try {
            Path log = work.resolve(task.get("task_id").asText() + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(task + " timed out:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertEquals(0, p.exitValue(), task + " failed:\n" + output);
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Airflow's rendering of '{{ params.NAME }}'. */
    private static String render(String template, Map<String, String> params) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertTrue(params.containsKey(m.group(1)), "undeclared parameter " + m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(params.get(m.group(1))));
        }
        return m.appendTail(sb).toString();
    }

    /** The DAG's parse-time expansion of '{frugal_home}', here the repository. */
    private static String home(String value) {
        return value.replace("{frugal_home}", REPO.toString());
    }

    /** The application jar: the compiled main classes (the cluster jar's dependencies are on the classpath). */
    private Path applicationJar() throws IOException {
        Path classes = Path.of(FrugalCli.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = work.resolve("frugal-spark-app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
