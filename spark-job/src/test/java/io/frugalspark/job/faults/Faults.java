package io.frugalspark.job.faults;

import io.frugalspark.job.io.CheckpointStore;
import io.frugalspark.testkit.MiniDfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;

/**
 * The five faults. Every random choice of a run is drawn before its processes start, so a seed names
 * the same injection points whatever the timing; where a fault actually landed is observed and reported.
 */
final class Faults {
    private final Setup setup;
    private final StandaloneCluster cluster;
    private final MiniDfs dfs;
    private final Path work;
    private final Random rnd;
    private final Configuration local = new Configuration();
    private Path tokens;
    private Map<String, String> cleanTokens;
    private Reference reference;

    Faults(Setup setup, StandaloneCluster cluster, MiniDfs dfs, Path work, Random rnd) {
        this.setup = setup;
        this.cluster = cluster;
        this.dfs = dfs;
        this.work = work;
        this.rnd = rnd;
    }

    FaultMatrix.Injector injector(String fault) {
        return switch (fault) {
            case "executor-kill" -> this::executorKill;
            case "driver-kill" -> this::driverKill;
            case "datanode-stop" -> this::datanodeStop;
            case "quota" -> this::quota;
            case "tokenize-kill" -> this::tokenizeKill;
            default -> throw new IllegalArgumentException("unknown fault '" + fault + "'; one of " + FaultMatrix.FAULTS);
        };
    }

    /** The clean tokenize (the training data, and the shards a faulted tokenize must equal); an unfaulted training run. */
    void prepare(boolean train) throws Exception {
        tokens = work.resolve("tokens-clean");
        long t0 = System.nanoTime();
        require(run(setup.tokenize(tokens), work.resolve("tokenize-clean.log")), "the clean tokenize");
        cleanTokens = Reference.tree(tokens);
        System.out.printf("clean tokenize: %d files in %.0f s%n", cleanTokens.size(), (System.nanoTime() - t0) / 1e9);
        if (train) {
            Path dir = fresh("unfaulted");
            t0 = System.nanoTime();
            require(run(setup.train(dir.resolve("ckpt").toString(), dir.resolve("metrics"), tokens), dir.resolve("train.log")), "the unfaulted run");
            reference = Reference.of(FaultMatrix.store(dir.resolve("ckpt").toString(), local), metrics(dir));
            System.out.printf("unfaulted run: %d metrics rows, final model.safetensors sha256 %s, %.0f s%n",
                    reference.rows().size(), reference.modelSha256(), (System.nanoTime() - t0) / 1e9);
        }
    }

    Trial executorKill(int i) throws Exception {
        int afterRows = 2 + rnd.nextInt(Setup.ROUNDS - 2); // the start row and at least one round
        int delayMs = rnd.nextInt(1500);
        int victim = rnd.nextInt(2);
        Path dir = fresh("executor-kill-" + i);
        String ckpt = dir.resolve("ckpt").toString();
        try (Child driver = start(setup.train(ckpt, dir.resolve("metrics"), tokens), dir.resolve("train.log"))) {
            StandaloneCluster.await(() -> Snapshot.rows(metrics(dir)).size() >= afterRows || !driver.alive(), "round rows", FaultMatrix.LIMIT_S);
            Thread.sleep(delayMs);
            Snapshot before = Snapshot.take(FaultMatrix.store(ckpt, local), metrics(dir));
            List<ProcessHandle> executors = cluster.executors();
            if (!driver.alive() || executors.isEmpty()) {
                return notInjected("executor-kill", i, "the run ended before the kill");
            }
            ProcessHandle killed = executors.get(victim % executors.size());
            killed.destroyForcibly();
            long t = System.nanoTime();
            boolean relaunched = eventually(() -> cluster.executors().stream().anyMatch(p -> !executors.contains(p)), 120);
            String point = String.format("after metrics row %d + %d ms, executor pid %d; relaunched %s in %.1f s",
                    afterRows, delayMs, killed.pid(), relaunched, (System.nanoTime() - t) / 1e9);
            int rc = driver.waitFor(FaultMatrix.LIMIT_S);
            return judge("executor-kill", i, point, rc == 0, ckpt, local, dir, before,
                    count(driver.output(), "Lost task") + " tasks lost, exit " + rc);
        }
    }

    Trial driverKill(int i) throws Exception {
        long target = (long) Setup.EVERY * (2 + rnd.nextInt(Setup.ROUNDS - 2));
        int delayMs = rnd.nextInt(10);
        Path dir = fresh("driver-kill-" + i);
        String ckpt = dir.resolve("ckpt").toString();
        CheckpointStore store = FaultMatrix.store(ckpt, local);
        Child driver = start(setup.train(ckpt, dir.resolve("metrics"), tokens), dir.resolve("train.log"));
        long step = awaitWrite(store.fileSystem(), new org.apache.hadoop.fs.Path(ckpt), target, driver);
        if (step < 0) {
            driver.close();
            return notInjected("driver-kill", i, "no checkpoint write seen from step " + target);
        }
        Thread.sleep(delayMs);
        driver.kill();
        String point = String.format("write of step %d (+%d ms): %s", step, delayMs, stage(store.fileSystem(), ckpt, step));
        Snapshot before = Snapshot.take(store, metrics(dir));
        int rc = run(setup.train(ckpt, dir.resolve("metrics"), tokens, "--resume", "latest"), dir.resolve("resume.log"));
        return judge("driver-kill", i, point, rc == 0, ckpt, local, dir, before, "resume exit " + rc);
    }

    Trial datanodeStop(int i) throws Exception {
        long target = (long) Setup.EVERY * (1 + rnd.nextInt(Setup.ROUNDS - 1));
        int victim = rnd.nextInt(3);
        Path dir = fresh("datanode-stop-" + i);
        String ckpt = dfs.uri() + "/faults/datanode-stop-" + i + "/ckpt";
        DistributedFileSystem fs = (DistributedFileSystem) dfs.fileSystem();
        CheckpointStore store = FaultMatrix.store(ckpt, fs.getConf());
        MiniDFSCluster.DataNodeProperties stopped = null;
        try (Child driver = start(setup.train(ckpt, dir.resolve("metrics"), tokens), dir.resolve("train.log"))) {
            long step = awaitWrite(fs, new org.apache.hadoop.fs.Path(ckpt), target, driver);
            if (step < 0) {
                return notInjected("datanode-stop", i, "no checkpoint write seen from step " + target);
            }
            Snapshot before = Snapshot.take(store, metrics(dir));
            stopped = dfs.cluster().stopDataNode(victim);
            int rc = driver.waitFor(FaultMatrix.LIMIT_S);
            String point = String.format("write of step %d, datanode %d stopped; after the run the checkpoint is %s", step, victim,
                    stage(fs, ckpt, step));
            String evidence = count(driver.output(), "Excluding datanode") + " datanodes excluded by the client, exit " + rc;
            if (rc != 0) {
                rc = run(setup.train(ckpt, dir.resolve("metrics"), tokens, "--resume", "latest"), dir.resolve("resume.log"));
                evidence += ", resume exit " + rc;
            }
            return judge("datanode-stop", i, point, rc == 0, ckpt, fs.getConf(), dir, before, evidence);
        } finally {
            if (stopped != null) {
                dfs.cluster().restartDataNode(stopped, true);
                dfs.cluster().waitActive();
            }
        }
    }

    Trial quota(int i) throws Exception {
        long after = (long) Setup.EVERY * (1 + rnd.nextInt(Setup.ROUNDS - 2));
        double fraction = 0.05 + 0.9 * rnd.nextDouble();
        Path dir = fresh("quota-" + i);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path("/faults/quota-" + i + "/ckpt");
        String ckpt = dfs.uri() + root.toString();
        DistributedFileSystem fs = (DistributedFileSystem) dfs.fileSystem();
        CheckpointStore store = FaultMatrix.store(ckpt, fs.getConf());
        org.apache.hadoop.fs.Path marker = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(root, stepName(after)), CheckpointStore.COMMITTED);
        try (Child driver = start(setup.train(ckpt, dir.resolve("metrics"), tokens), dir.resolve("train.log"))) {
            // Closed, not just created: an open file's space counts a whole block reservation.
            StandaloneCluster.await(() -> (fs.exists(marker) && fs.isFileClosed(marker)) || !driver.alive(), "checkpoint " + after,
                    FaultMatrix.LIMIT_S);
            long used = fs.getContentSummary(root).getSpaceConsumed();
            long one = fs.getContentSummary(marker.getParent()).getSpaceConsumed();
            fs.setQuota(root, HdfsConstants.QUOTA_DONT_SET, used + (long) (fraction * one));
            Snapshot before = Snapshot.take(store, metrics(dir));
            int rc = driver.waitFor(FaultMatrix.LIMIT_S);
            String error = driver.output().lines().filter(l -> l.contains("DSQuotaExceededException")).findFirst().orElse("(none)");
            Optional<org.apache.hadoop.fs.Path> latest = FaultMatrix.store(ckpt, fs.getConf()).latest();
            boolean intact = latest.isPresent() && CheckpointStore.stepOf(latest.get()) >= after; // verified by latest()
            fs.setQuota(root, HdfsConstants.QUOTA_DONT_SET, HdfsConstants.QUOTA_RESET);
            int resumed = run(setup.train(ckpt, dir.resolve("metrics"), tokens, "--resume", "latest"), dir.resolve("resume.log"));
            String point = String.format("quota = used + %.0f%% of checkpoint %d (%d B); latest verified checkpoint after the failure: %s",
                    100 * fraction, after, one, latest.map(p -> p.getName()).orElse("none"));
            // Survival here is the whole contract: a failure naming the quota and the directory, the previous
            // checkpoint still the verified latest, and a resume from it once the quota is lifted.
            boolean clear = rc != 0 && error.contains(root.toString());
            return judge("quota", i, point, clear && intact && resumed == 0, ckpt, fs.getConf(), dir, before,
                    "exit " + rc + ", error: " + error.strip() + "; resume exit " + resumed);
        }
    }

    Trial tokenizeKill(int i) throws Exception {
        int delayMs = rnd.nextInt(2_500); // the tasks take 5-30 s here, with the load of the machine
        int victim = rnd.nextInt(2);
        Path out = work.resolve("tokens-kill-" + i);
        deleteLocal(out);
        String point;
        int first;
        try (Child t = start(setup.tokenize(out), work.resolve("tokenize-kill-" + i + ".log"))) {
            StandaloneCluster.await(() -> t.output().contains("files to do") || !t.alive(), "tokenize tasks", FaultMatrix.LIMIT_S);
            Thread.sleep(delayMs);
            List<ProcessHandle> executors = cluster.executors();
            if (!t.alive() || executors.isEmpty()) {
                return notInjected("tokenize-kill", i, "the tokenize ended before the kill");
            }
            ProcessHandle killed = executors.get(victim % executors.size());
            killed.destroyForcibly();
            point = String.format("%d ms after the tasks started, executor pid %d", delayMs, killed.pid());
            first = t.waitFor(FaultMatrix.LIMIT_S);
            point += ", " + count(t.output(), "Lost task") + " tasks lost";
        }
        int rerun = run(setup.tokenize(out), work.resolve("tokenize-kill-" + i + "-rerun.log"));
        Map<String, String> got = Reference.tree(out);
        long lost = 0;
        for (Map.Entry<String, String> e : cleanTokens.entrySet()) {
            if (!e.getValue().equals(got.get(e.getKey()))) {
                lost += java.nio.file.Files.size(tokens.resolve(e.getKey()));
            }
        }
        boolean identical = got.equals(cleanTokens);
        return new Trial("tokenize-kill", i, point, rerun == 0, identical, lost,
                "first exit " + first + ", re-run exit " + rerun + ", " + got.size() + " files, sha256 of every file "
                        + (identical ? "equal" : "DIFFERENT: " + differences(got)));
    }

    private String differences(Map<String, String> got) {
        return cleanTokens.keySet().stream().filter(k -> !cleanTokens.get(k).equals(got.get(k))).toList()
                + " extra " + got.keySet().stream().filter(k -> !cleanTokens.containsKey(k)).toList();
    }

    /** A run survived if it {@code completed} with all steps done; identical if its rows and final model equal the unfaulted run's. */
    private Trial judge(String fault, int i, String point, boolean completed, String ckpt, Configuration conf, Path dir, Snapshot before,
            String evidence) throws IOException {
        CheckpointStore store = FaultMatrix.store(ckpt, conf);
        Map<Long, Snapshot.Row> rows = Snapshot.rows(metrics(dir));
        boolean survived = completed && rows.containsKey((long) Setup.STEPS);
        boolean identical = survived && reference.matches(store, metrics(dir));
        String model = Reference.finalModelSha256(store);
        return new Trial(fault, i, point, survived, identical, before.lostBytes(store, metrics(dir)),
                evidence + ", " + rows.size() + " rows, final model sha256 " + model.substring(0, Math.min(12, model.length()))
                        + ", " + leftovers(store, ckpt) + " B in temporary directories left behind");
    }

    /** Bytes of checkpoint writes that never committed and were never cleaned up (invisible, but they take space). */
    private static long leftovers(CheckpointStore store, String ckpt) throws IOException {
        long bytes = 0;
        for (FileStatus e : store.fileSystem().listStatus(new org.apache.hadoop.fs.Path(ckpt))) {
            if (e.getPath().getName().contains(".tmp-")) {
                bytes += store.fileSystem().getContentSummary(e.getPath()).getLength();
            }
        }
        return bytes;
    }

    /**
     * Waits until a checkpoint of {@code first} or later is seen being written (its temporary directory,
     * or its directory without the marker); returns its step, or -1 when the driver ends first.
     * A write that completes between two polls moves the target to the next checkpoint.
     */
    private static long awaitWrite(FileSystem fs, org.apache.hadoop.fs.Path root, long first, Child driver) throws Exception {
        long step = first;
        while (driver.alive() && step <= Setup.STEPS) {
            FileStatus[] entries = fs.exists(root) ? fs.listStatus(root) : new FileStatus[0];
            for (FileStatus e : entries) {
                String n = e.getPath().getName();
                if (n.startsWith("." + stepName(step) + ".tmp-")) {
                    return step;
                }
                if (n.equals(stepName(step))) {
                    if (!fs.exists(new org.apache.hadoop.fs.Path(e.getPath(), CheckpointStore.COMMITTED))) {
                        return step;
                    }
                    step += Setup.EVERY;
                }
            }
            Thread.sleep(1);
        }
        return -1;
    }

    /** Where a checkpoint's write stands: committed (and whether it verifies), renamed without marker, or only a temporary dir. */
    private static String stage(FileSystem fs, String ckpt, long step) throws IOException {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(ckpt, stepName(step));
        if (fs.exists(new org.apache.hadoop.fs.Path(dst, CheckpointStore.COMMITTED))) {
            try {
                FaultMatrix.store(ckpt, fs.getConf()).resolve(dst.toString());
                return "committed and verified";
            } catch (IOException corrupt) {
                return "COMMITTED BUT CORRUPT: " + corrupt.getMessage();
            }
        }
        return fs.exists(dst) ? "renamed, no marker (invisible)" : "a temporary directory only (invisible)";
    }

    private static String stepName(long step) {
        return String.format("step-%08d", step);
    }

    private static Trial notInjected(String fault, int i, String why) {
        return new Trial(fault, i, "NOT INJECTED: " + why, false, false, 0, "rerun with another seed");
    }

    private Child start(List<String> cmd, Path log) throws IOException {
        return Child.start(cmd, log, Setup.DRIVER_ENV);
    }

    private int run(List<String> cmd, Path log) throws Exception {
        try (Child c = start(cmd, log)) {
            return c.waitFor(FaultMatrix.LIMIT_S);
        }
    }

    private static void require(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed with exit " + rc + " (see its log under runs/faults)");
        }
    }

    private static boolean eventually(StandaloneCluster.Check c, long seconds) throws Exception {
        try {
            StandaloneCluster.await(c, "", seconds);
            return true;
        } catch (IllegalStateException timedOut) {
            return false;
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static Path metrics(Path dir) {
        return dir.resolve("metrics/metrics.jsonl");
    }

    private Path fresh(String name) throws IOException {
        Path dir = work.resolve(name);
        deleteLocal(dir);
        return java.nio.file.Files.createDirectories(dir);
    }

    private void deleteLocal(Path dir) throws IOException {
        FileSystem.getLocal(local).delete(new org.apache.hadoop.fs.Path(dir.toUri()), true);
    }
}
