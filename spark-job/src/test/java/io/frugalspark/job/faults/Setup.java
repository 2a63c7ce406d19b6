package io.frugalspark.job.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The commands the matrix runs: `./frugal train|tokenize` against the standalone cluster, tiny sizes. */
final class Setup {
    static final int STEPS = 16;
    static final int PERIOD = 4;
    static final int ROUNDS = STEPS / PERIOD;
    /** A checkpoint every round, so every round boundary is a point a driver can die in. */
    static final int EVERY = PERIOD;
    static final Map<String, String> DRIVER_ENV = Map.of("FRUGAL_DRIVER_MEMORY", "1g", "FRUGAL_OFFHEAP", "1G", "FRUGAL_PHYSICAL", "3G");
    final Path root;
    final String classpath;
    final String master;

    Setup(Path root, String master) throws IOException {
        this.root = root;
        this.master = master;
        this.classpath = launcherClasspath(root);
    }

    /** What ./frugal itself runs on: the spark-job jar and its compile classpath (no test classes). */
    static String launcherClasspath(Path root) throws IOException {
        Path target = root.resolve("spark-job/target");
        return target.resolve("spark-job-0.1.0-SNAPSHOT.jar") + ":" + Files.readString(target.resolve("classpath.txt")).trim();
    }

    List<String> train(String checkpointDir, Path metricsDir, Path tokens, String... extra) {
        List<String> sets = List.of("data.output=" + tokens, "model.preset=tiny", "optimizer.preset=frugal", "optimizer.lr=0.003",
                "train.workers=2", "train.micro_batch=2", "train.global_batch=4", "train.averaging.period=" + PERIOD,
                "train.steps=" + STEPS, "train.seed=7", "eval.every=" + EVERY, "eval.tokens=512",
                "checkpoint.every=" + EVERY, "checkpoint.keep=100", "checkpoint.dir=" + checkpointDir, "metrics.dir=" + metricsDir);
        return frugal("train", sets, extra);
    }

    List<String> tokenize(Path output) {
        return frugal("tokenize", List.of("data.input=" + root.resolve("data/corpus/c4-en"), "data.output=" + output,
                "data.vocab_size=512", "data.seq_len=33", "data.bpe_sample_bytes=300000"));
    }

    /**
     * Two single-core executors of 1 GB; HDFS clients write 2 replicas in 1 MB blocks, so a quota can
     * land inside a checkpoint (a block reserves blocksize x replication until it is closed).
     */
    private List<String> frugal(String verb, List<String> sets, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("frugal").toString(), verb, "--master", master));
        for (String c : List.of("spark.executor.extraClassPath=" + classpath, "spark.executor.memory=1g", "spark.executor.cores=1",
                "spark.cores.max=2", "spark.task.cpus=1", "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G",
                "spark.hadoop.dfs.replication=2", "spark.hadoop.dfs.blocksize=1048576")) {
            cmd.addAll(List.of("--conf", c));
        }
        sets.forEach(s -> cmd.addAll(List.of("--set", s)));
        cmd.addAll(List.of(extra));
        return cmd;
    }
}
