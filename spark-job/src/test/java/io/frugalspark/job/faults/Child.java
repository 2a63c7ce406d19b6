package io.frugalspark.job.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process with its output in a log file; killing it takes its descendants (executors, launchers) along. */
final class Child implements AutoCloseable {
    /** Exit code reported for a child that outlived its time limit and was killed: a hang. */
    static final int HUNG = -1;
    private final Process process;
    private final Path log;

    private Child(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Child start(List<String> command, Path log, Map<String, String> env) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Child(pb.start(), log);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The exit code, or {@link #HUNG} after killing a child that ran past {@code seconds}. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            return HUNG;
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL (what destroyForcibly sends on Linux), descendants first so none is orphaned. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    Path log() {
        return log;
    }

    /** A polite stop (SIGTERM lets a Spark worker take its executors down), then SIGKILL for what is left. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        kill();
    }
}
