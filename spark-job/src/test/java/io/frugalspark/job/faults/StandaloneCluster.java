package io.frugalspark.job.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone master and two single-core workers on 127.0.0.1, started from the project's own
 * classpath as scripts/bench-overhead.sh does, so executors are real JVMs (CoarseGrainedExecutorBackend)
 * that a fault can kill and the master relaunches.
 */
final class StandaloneCluster implements AutoCloseable {
    static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private static final List<String> OPENS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED");
    private final List<Child> daemons = new ArrayList<>();
    private final int port;

    private StandaloneCluster(int port) {
        this.port = port;
    }

    /** {@code env} for the daemons and the executors they launch (SPARK_HOME, OMP_WAIT_POLICY). */
    static StandaloneCluster start(Path work, String classpath, Map<String, String> env) throws Exception {
        StandaloneCluster c = new StandaloneCluster(freePort());
        try {
            c.daemons.add(Child.start(c.daemon(classpath, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(c.port), "--webui-port", "0"), work.resolve("master.log"), env));
            await(() -> c.daemons.get(0).output().contains("I have been elected leader"), "the master to start", 60);
            for (int i = 1; i <= 2; i++) {
                Path dir = Files.createDirectories(work.resolve("worker" + i));
                c.daemons.add(Child.start(c.daemon(classpath, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "2g", "--webui-port", "0", "--work-dir", dir.toString(), c.url()),
                        work.resolve("worker" + i + ".log"), env));
            }
            await(() -> c.daemons.get(0).output().split("Registering worker", -1).length == 3, "two workers to register", 60);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Live executor JVMs, oldest pid first. */
    List<ProcessHandle> executors() {
        return daemons.stream().skip(1).flatMap(w -> w.handle().descendants())
                .filter(p -> p.isAlive() && commandLine(p).contains(EXECUTOR_MAIN))
                .sorted(Comparator.comparingLong(ProcessHandle::pid)).toList();
    }

    /** From /proc: ProcessHandle.Info gives no command line for an executor's (long classpath) on Linux. */
    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException gone) {
            return "";
        }
    }

    private List<String> daemon(String classpath, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        cmd.addAll(OPENS);
        cmd.addAll(List.of("-cp", classpath, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls every 20 ms; fails naming what it waited for. */
    static void await(Check check, String what, long seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Workers first (each stops its executors on SIGTERM), then the master. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }
}
