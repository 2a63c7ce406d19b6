package io.frugalspark.job.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.testkit.MiniDfs;
import io.frugalspark.testkit.MiniDfsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The metrics log on a real HDFS, on a local file system without append, and on a plain local path. */
@ExtendWith(MiniDfsExtension.class)
class MetricsLogTest {
    @TempDir
    java.nio.file.Path local;
    private final List<String> warnings = new ArrayList<>();

    private static Map<String, Object> row(long step, double loss) {
        Map<String, Object> r = new LinkedHashMap<>(); // key order as written, for the byte-level check
        r.put("step", step);
        r.put("train_loss", loss);
        return r;
    }

    private static void write(MetricsLog log, double loss, long... steps) throws IOException {
        for (long s : steps) {
            log.write(row(s, loss));
        }
    }

    /** (step, train_loss) of every row, in order. */
    private List<String> rows(String dir, Configuration conf) throws IOException {
        return MetricsLog.read(dir, conf, warnings::add).stream().map(r -> r.get("step") + "=" + r.get("train_loss")).toList();
    }

    private static List<String> names(FileSystem fs, String dir) throws IOException {
        return Arrays.stream(fs.listStatus(new Path(dir))).map(FileStatus::getPath).map(Path::getName).sorted().toList();
    }

    /**
     * A client of its own on each call (as the trainer and a person following the run from another
     * machine have), writing the one replica that the one-datanode cluster can hold: with the default
     * three, an append finds no datanode to add to its pipeline.
     */
    private static Configuration hdfs() {
        Configuration c = new Configuration();
        c.setBoolean("fs.hdfs.impl.disable.cache", true);
        c.setInt("dfs.replication", 1);
        return c;
    }

    @Test
    void onHdfsEachRowIsVisibleToAnotherClientAsSoonAsItIsWritten(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/live/metrics";
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), -1)) {
            write(log, 1.5, 0, 10);
            assertEquals(List.of("0=1.5", "10=1.5"), rows(dir, hdfs()), "hflushed rows are readable before close");
            write(log, 1.25, 20);
            assertEquals(List.of("0=1.5", "10=1.5", "20=1.25"), rows(dir, hdfs()));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aResumedRunOnHdfsDropsTheTornLineAndTheRowsAfterItsCheckpointThenAppends(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/resumed/metrics";
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), -1)) {
            write(log, 2.0, 0, 10, 20, 30, 40);
        }
        try (OutputStream out = new Path(dir).getFileSystem(hdfs()).append(new Path(dir, MetricsLog.FILE))) {
            out.write("{\"step\":50,\"train_lo".getBytes(StandardCharsets.UTF_8)); // the driver died mid-row
        }
        assertEquals(List.of("0=2.0", "10=2.0", "20=2.0", "30=2.0", "40=2.0"), rows(dir, hdfs()));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("metrics.jsonl:6") && warnings.get(0).contains("torn"), warnings.get(0));

        warnings.clear();
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), 40)) { // resumed from the step-40 checkpoint
            write(log, 1.0, 50);
        }
        assertEquals(List.of("0=2.0", "10=2.0", "20=2.0", "30=2.0", "40=2.0", "50=1.0"), rows(dir, hdfs()));
        assertEquals(List.of(), warnings, "the torn line went before the append, not glued to the next row");
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), 20)) { // resumed from an older checkpoint
            write(log, 0.5, 30);
        }
        assertEquals(List.of("0=2.0", "10=2.0", "20=2.0", "30=0.5"), rows(dir, hdfs()));
        assertEquals(List.of(MetricsLog.FILE), names(dfs.fileSystem(), dir), "appended in place, no temporary left");
    }

    @Test
    void keepUpToOnHdfsLeavesTheRowsUpToTheStepAndIgnoresACrashedRewritesTemporary(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/kept/metrics";
        MetricsLog.keepUpTo(dir, hdfs(), 10); // nothing logged yet: nothing to do
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), -1)) {
            write(log, 2.0, 0, 10, 20, 30, 40);
        }
        try (OutputStream out = dfs.fileSystem().create(new Path(dir, ".metrics.jsonl.crashed.tmp"))) {
            out.write("{\"step\":0,\"train_loss\":7.0}\n".getBytes(StandardCharsets.UTF_8)); // a rewrite that died before its rename
        }
        MetricsLog.keepUpTo(dir, hdfs(), 25);
        assertEquals(List.of("0=2.0", "10=2.0", "20=2.0"), rows(dir, hdfs()));
        assertEquals(List.of(".metrics.jsonl.crashed.tmp", MetricsLog.FILE), names(dfs.fileSystem(), dir));
    }

    @Test
    void withoutAppendEachResumedRunWritesTheNextPartAndTheyReadBackInOrder() throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.noappend.impl", NoAppendFileSystem.class.getName());
        String dir = NoAppendFileSystem.SCHEME + "://" + local.resolve("m").toAbsolutePath();
        try (MetricsLog log = MetricsLog.open(dir, conf, -1)) {
            write(log, 3.0, 0, 10, 20, 30);
        }
        try (MetricsLog log = MetricsLog.open(dir, conf, 20)) {
            write(log, 2.0, 30, 40);
        }
        try (MetricsLog log = MetricsLog.open(dir, conf, 40)) {
            write(log, 1.0, 50);
        }
        assertEquals(List.of("metrics-00001.jsonl", "metrics-00002.jsonl", "metrics.jsonl"), names(new Path(dir).getFileSystem(conf), dir));
        assertEquals(List.of("0=3.0", "10=3.0", "20=3.0", "30=2.0", "40=2.0", "50=1.0"), rows(dir, conf));

        try (MetricsLog log = MetricsLog.open(dir, conf, 10)) { // resumed from an older checkpoint
            write(log, 0.5, 20);
        }
        assertEquals(List.of("0=3.0", "10=3.0", "20=0.5"), rows(dir, conf));
        assertEquals(List.of("metrics-00001.jsonl", "metrics.jsonl"), names(new Path(dir).getFileSystem(conf), dir));

        try (MetricsLog log = MetricsLog.open(dir, conf, -1)) { // a fresh run
            write(log, 9.0, 0);
        }
        assertEquals(List.of("0=9.0"), rows(dir, conf));
        assertEquals(List.of(MetricsLog.FILE), names(new Path(dir).getFileSystem(conf), dir));
    }

    @Test
    void aMalformedLineBeforeTheLastIsAnErrorNamingFileAndLine() throws IOException {
        java.nio.file.Path file = Files.createDirectories(local.resolve("bad")).resolve(MetricsLog.FILE);
        Files.writeString(file, "{\"step\":0}\n{\"step\":1,\n{\"step\":2}\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(file));
        assertTrue(e.getMessage().contains("bad/metrics.jsonl:2"), e.getMessage());
    }

    @Test
    void aPathWithoutASchemeIsAPlainLocalFileWhateverTheDefaultFileSystem(MiniDfs dfs) throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.defaultFS", dfs.uri().toString());
        String dir = local.resolve("plain").toString();
        try (MetricsLog log = MetricsLog.open(dir, conf, -1)) {
            write(log, 4.0, 0, 10, 20);
        }
        try (MetricsLog log = MetricsLog.open(dir, conf, 0)) { // resumed: appended in place, as before
            write(log, 4.0, 10);
        }
        assertEquals("{\"step\":0,\"train_loss\":4.0}\n{\"step\":10,\"train_loss\":4.0}\n",
                Files.readString(local.resolve("plain/metrics.jsonl")));
        try (var files = Files.list(local.resolve("plain"))) {
            assertEquals(List.of("metrics.jsonl"), files.map(p -> p.getFileName().toString()).toList(), "no .crc beside it");
        }
        assertEquals(2, MetricsLog.read(local.resolve("plain/metrics.jsonl")).size());
    }

    @Test
    void theLossPlotIsWrittenNextToTheMetricsOnHdfs(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/plot/metrics";
        try (MetricsLog log = MetricsLog.open(dir, hdfs(), -1)) {
            write(log, 2.0, 0, 10, 20);
        }
        String png = LossPlot.renderNextTo(dir, hdfs(), "frugal", "a run");
        assertEquals(dir + "/" + LossPlot.FILE, png);
        try (InputStream in = dfs.fileSystem().open(new Path(png))) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(in.readAllBytes(), 4));
        }
        assertFalse(names(dfs.fileSystem(), dir).stream().anyMatch(n -> n.endsWith(".crc") || n.endsWith(".tmp")));
    }

    @Test
    void theLossPlotOfAPlainLocalDirectoryIsWrittenInPlace() throws IOException {
        String dir = local.resolve("plot").toString();
        try (MetricsLog log = MetricsLog.open(dir, new Configuration(), -1)) {
            write(log, 2.0, 0, 10);
        }
        String png = LossPlot.renderNextTo(dir, new Configuration(), "frugal", "a local run");
        assertEquals(local.resolve("plot/loss.png").toAbsolutePath().toString(), new Path(png).toUri().getPath());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(local.resolve("plot/loss.png")), 4));
    }
}
