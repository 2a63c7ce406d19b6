package io.frugalspark.job.faults;

import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.testkit.MiniDfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;

/**
 * The process-level fault suite of issue 17 on real processes: a Spark standalone master and two
 * workers (child JVMs), the driver as `./frugal train|tokenize` (a child JVM), and an in-process
 * MiniDFS of 3 datanodes (replication 2) so a datanode can be stopped and a quota set mid-run. Each
 * fault runs RUNS times at seeded random points; prints one line per run and the matrix, and writes
 * the matrix to runs/faults/matrix.md.
 *
 * <p>usage: FaultMatrix ROOT SEED RUNS FAULTS (comma list of {@link #FAULTS}, or "all")
 */
public final class FaultMatrix {
    static final List<String> FAULTS = List.of("executor-kill", "driver-kill", "datanode-stop", "quota", "tokenize-kill");
    /** A run slower than this hangs (an unfaulted one takes well under a minute). */
    static final long LIMIT_S = 300;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        long seed = Long.parseLong(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<String> faults = args[3].equals("all") ? FAULTS : List.of(args[3].split(","));
        Path work = root.resolve("runs/faults");
        System.out.printf("fault matrix: seed %d, %d runs per fault, faults %s, work %s%n", seed, runs, faults, work);
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome(work).toString(), "SPARK_SCALA_VERSION", "2.12", "OMP_WAIT_POLICY", "PASSIVE");
        try (MiniDfs dfs = MiniDfs.start(3, 2); StandaloneCluster cluster = StandaloneCluster.start(work, Setup.launcherClasspath(root), env)) {
            Faults f = new Faults(new Setup(root, cluster.url()), cluster, dfs, work, new Random(seed));
            Map<String, List<Trial>> done = new LinkedHashMap<>();
            f.prepare(faults.stream().anyMatch(x -> !x.equals("tokenize-kill")));
            for (String fault : faults) {
                done.put(fault, repeat(fault, runs, f.injector(fault)));
            }
            String matrix = matrix(done, String.join(" ", "scripts/fault-matrix.sh", args[1], args[2], args[3]));
            System.out.println(matrix);
            Files.writeString(work.resolve("matrix.md"), matrix, StandardCharsets.UTF_8);
        }
    }

    /** The standalone worker builds executor commands with Spark's launcher, which wants a SPARK_HOME with jars/. */
    private static Path sparkHome(Path work) throws java.io.IOException {
        Path home = work.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        return home;
    }

    interface Injector {
        Trial run(int i) throws Exception;
    }

    private static List<Trial> repeat(String fault, int runs, Injector injector) throws Exception {
        List<Trial> out = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Trial t = injector.run(i);
            System.out.println(t.line());
            out.add(t);
        }
        return out;
    }

    static final Map<String, String> HOW = Map.of(
            "executor-kill", "SIGKILL one of the 2 executor JVMs (CoarseGrainedExecutorBackend) 0-1.5 s after a random round's metrics row",
            "driver-kill", "SIGKILL the driver JVM 0-10 ms after a random checkpoint's write is seen in progress, then `--resume latest`",
            "datanode-stop", "stop a random one of 3 datanodes (replication 2) when a random HDFS checkpoint's write is seen in progress; resume if the run fails",
            "quota", "space quota on the HDFS checkpoint dir after a random checkpoint commits: used + 5-95% of one checkpoint; lift it, `--resume latest`",
            "tokenize-kill", "SIGKILL one of the 2 executor JVMs 0-2.5 s after tokenize starts its tasks, then re-run the same tokenize");

    /** {@code command} reproduces every row: the draws of a fault depend on the faults run before it. */
    static String matrix(Map<String, List<Trial>> done, String command) {
        StringBuilder b = new StringBuilder("| fault | how injected | runs | survived | identical to unfaulted | committed data lost | reproduce |\n"
                + "|---|---|---|---|---|---|---|\n");
        done.forEach((fault, trials) -> b.append(String.format("| %s | %s | %d | %d | %d of %d | %d B | `%s` |%n",
                fault, HOW.get(fault), trials.size(), trials.stream().filter(Trial::survived).count(),
                trials.stream().filter(Trial::identical).count(), trials.size(),
                trials.stream().mapToLong(Trial::lostBytes).sum(), command)));
        b.append("\nruns:\n");
        done.values().forEach(ts -> ts.forEach(t -> b.append("- ").append(t.line()).append('\n')));
        return b.toString();
    }

    static CheckpointStore store(String dir, Configuration conf) throws java.io.IOException {
        return new CheckpointStore(dir, conf, 100, w -> {});
    }
}
