package io.frugalspark.job.io;

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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoint directories on a real HDFS and the local file system: atomic commit, latest, pruning,
 * crash leftovers, and the SHA-256 manifest (corrupt, truncated, missing files; legacy checkpoints).
 */
@ExtendWith(MiniDfsExtension.class)
class CheckpointStoreTest {

    private static void write(CheckpointStore.Writer w, String file, String text) throws IOException {
        try (OutputStream out = w.create(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void committedCheckpointsAreListedNewestLastAndPrunedToKeep(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/a";
        CheckpointStore store = new CheckpointStore(dir, new Configuration(), 2);
        for (long step : new long[] {5, 10, 15}) {
            CheckpointStore.Writer w = store.begin(step);
            write(w, "trainer.json", "{\"step\":" + step + "}");
            w.commit();
        }
        List<Path> all = store.committed();
        assertEquals(List.of(10L, 15L), all.stream().map(CheckpointStore::stepOf).toList());
        Path latest = store.latest().orElseThrow();
        assertEquals(15, CheckpointStore.stepOf(latest));
        assertTrue(latest.toString().startsWith("hdfs://"));
        try (InputStream in = store.open(latest, "trainer.json")) {
            assertEquals("{\"step\":15}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCheckpointInterruptedBeforeCommitIsInvisible(MiniDfs dfs) throws IOException {
        String dir = dfs.uri() + "/runs/b";
        CheckpointStore store = new CheckpointStore(dir, new Configuration(), 3);
        CheckpointStore.Writer good = store.begin(4);
        write(good, "trainer.json", "{}");
        good.commit();
        CheckpointStore.Writer crashed = store.begin(8);
        write(crashed, "trainer.json", "{}"); // never committed: the job died here
        assertEquals(4, CheckpointStore.stepOf(store.latest().orElseThrow()));
        // A renamed directory without its marker (a crash between rename and marker) is ignored too.
        dfs.fileSystem().mkdirs(new Path(dir, "step-00000012"));
        assertEquals(4, CheckpointStore.stepOf(store.latest().orElseThrow()));
        IOException e = assertThrows(IOException.class, () -> store.resolve(dir + "/step-00000012"));
        assertTrue(e.getMessage().contains("not committed"), e.getMessage());
    }

    @Test
    void noCheckpointMeansLatestIsEmpty(MiniDfs dfs) throws IOException {
        CheckpointStore store = new CheckpointStore(dfs.uri() + "/runs/none", new Configuration(), 1);
        assertFalse(store.latest().isPresent());
        assertFalse(store.resolve("latest").isPresent());
    }

    // --- integrity: each test runs on HDFS and on the local file system ---

    @TempDir
    java.nio.file.Path local;
    private final List<String> warnings = new ArrayList<>();

    /** A fresh checkpoint root on the given kind of file system (the MiniDFS is shared by the class). */
    private String root(String kind, MiniDfs dfs) throws IOException {
        String name = "runs/integrity-" + java.util.UUID.randomUUID();
        return kind.equals("hdfs") ? dfs.uri() + "/" + name : Files.createDirectories(local.resolve(name)).toUri().toString();
    }

    /** A new store (a new run: nothing verified yet) whose warnings land in {@link #warnings}. */
    private CheckpointStore store(String root, int keep) throws IOException {
        return new CheckpointStore(root, new Configuration(), keep, warnings::add);
    }

    /** Bytes of a checkpoint's model: over a megabyte, so hashing spans several reads and HDFS packets. */
    private static byte[] model(long step) {
        byte[] b = new byte[(1 << 20) + 12345];
        new Random(step).nextBytes(b);
        return b;
    }

    /** A checkpoint as the trainer writes one: the model copied from a local file, the rest streamed. */
    private Path commit(CheckpointStore store, long step) throws IOException {
        CheckpointStore.Writer w = store.begin(step);
        java.nio.file.Path tmp = Files.write(Files.createTempFile(local, "model", ".safetensors"), model(step));
        w.copyFromLocal(tmp, "model.safetensors");
        write(w, "optimizer.bin", "state of " + step);
        write(w, "trainer.json", "{\"step\":" + step + "}");
        return w.commit();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    private static boolean onLocalDisk(Path file) {
        return file.toUri().getScheme().equals("file");
    }

    /** A file's bytes as stored, past the local file system's .crc check (which a tampered file fails). */
    private static byte[] stored(CheckpointStore store, Path file) throws IOException {
        return onLocalDisk(file) ? Files.readAllBytes(java.nio.file.Path.of(file.toUri())) : read(store.fileSystem(), file);
    }

    /** Changes a stored file behind the store's back: in place on local disk (its .crc goes stale), rewritten on HDFS. */
    private static void tamper(CheckpointStore store, Path file, UnaryOperator<byte[]> edit) throws IOException {
        byte[] edited = edit.apply(stored(store, file));
        if (onLocalDisk(file)) {
            Files.write(java.nio.file.Path.of(file.toUri()), edited);
        } else {
            try (OutputStream out = store.fileSystem().create(file, true)) {
                out.write(edited);
            }
        }
    }

    private static byte[] flipByte(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 0x10;
        return c;
    }

    private static List<Long> steps(List<Path> checkpoints) {
        return checkpoints.stream().map(CheckpointStore::stepOf).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void theManifestListsEveryFileInSha256sumFormatAndTheMarkerNamesTheManifest(String kind, MiniDfs dfs) throws Exception {
        CheckpointStore store = store(root(kind, dfs), 3);
        Path cp = commit(store, 4);
        FileSystem fs = store.fileSystem();
        String manifest = new String(read(fs, new Path(cp, CheckpointStore.MANIFEST)), StandardCharsets.UTF_8);
        assertEquals(sha256(model(4)) + "  model.safetensors\n"
                + sha256("state of 4".getBytes(StandardCharsets.UTF_8)) + "  optimizer.bin\n"
                + sha256("{\"step\":4}".getBytes(StandardCharsets.UTF_8)) + "  trainer.json\n", manifest);
        assertEquals(sha256(manifest.getBytes(StandardCharsets.UTF_8)) + "  " + CheckpointStore.MANIFEST + "\n",
                new String(read(fs, new Path(cp, CheckpointStore.COMMITTED)), StandardCharsets.UTF_8));
        assertEquals(cp, store(store.committed().get(0).getParent().toString(), 3).resolve(cp.toString()).orElseThrow());
        assertEquals(List.of(), warnings);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void aFlippedByteInTheNewestModelMeansLatestIsThePreviousWithAWarningNamingTheFile(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        CheckpointStore writer = store(root, 3);
        commit(writer, 2);
        Path four = commit(writer, 4);
        Path six = commit(writer, 6);
        Path model = new Path(six, "model.safetensors");
        tamper(writer, model, CheckpointStoreTest::flipByte);

        CheckpointStore resumed = store(root, 3);
        assertEquals(four, resumed.resolve("latest").orElseThrow());
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.contains(model + ": sha256 expected " + sha256(model(6)) + ", actual " + sha256(flipByte(model(6)))), w);
        assertTrue(w.contains("using " + four), w);
        assertEquals(List.of(2L, 4L, 6L), steps(resumed.committed()), "the corrupt checkpoint is left in place");
        IOException explicit = assertThrows(IOException.class, () -> resumed.resolve(six.toString()));
        assertTrue(explicit.getMessage().contains(model.toString()), explicit.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void whenNoCommittedCheckpointVerifiesLatestFailsNamingEveryFile(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        CheckpointStore writer = store(root, 3);
        Path two = commit(writer, 2);
        Path four = commit(writer, 4);
        tamper(writer, new Path(two, "optimizer.bin"), b -> Arrays.copyOf(b, 3)); // truncated
        writer.fileSystem().delete(new Path(four, "trainer.json"), false);

        IOException e = assertThrows(IOException.class, () -> store(root, 3).resolve("latest"));
        String m = e.getMessage();
        assertTrue(m.contains("not starting fresh"), m);
        assertTrue(m.contains(new Path(two, "optimizer.bin") + ": sha256 expected " + sha256("state of 2".getBytes(StandardCharsets.UTF_8))), m);
        assertTrue(m.contains("(3 bytes)"), m);
        assertTrue(m.contains(new Path(four, "trainer.json") + ": missing (listed in " + CheckpointStore.MANIFEST + ")"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void aLostOrRewrittenManifestIsDetectedThroughTheMarker(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        CheckpointStore writer = store(root, 3);
        Path two = commit(writer, 2);
        Path four = commit(writer, 4);
        // Someone "repairs" a corrupt model by hashing it into the manifest: the marker still disagrees.
        Path model = new Path(two, "model.safetensors");
        tamper(writer, model, CheckpointStoreTest::flipByte);
        String forged = sha256(flipByte(model(2)));
        tamper(writer, new Path(two, CheckpointStore.MANIFEST),
                b -> new String(b, StandardCharsets.UTF_8).replace(sha256(model(2)), forged).getBytes(StandardCharsets.UTF_8));
        writer.fileSystem().delete(new Path(four, CheckpointStore.MANIFEST), false);

        String m = assertThrows(IOException.class, () -> store(root, 3).resolve("latest")).getMessage();
        assertTrue(m.contains(new Path(two, CheckpointStore.MANIFEST) + ": sha256 expected"), m);
        assertTrue(m.contains(new Path(four, CheckpointStore.MANIFEST) + ": missing (listed in " + CheckpointStore.COMMITTED + ")"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void pruningCountsOnlyVerifiedCheckpointsAndLeavesCorruptOnesInPlace(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        CheckpointStore first = store(root, 2);
        commit(first, 2);
        Path four = commit(first, 4);
        tamper(first, new Path(four, "model.safetensors"), CheckpointStoreTest::flipByte);

        CheckpointStore second = store(root, 2); // a resumed run: it did not write 4, so it verifies it
        commit(second, 6);
        assertEquals(List.of(2L, 4L, 6L), steps(second.committed()), "keep 2 verified: 6 and 2; 4 does not count");
        commit(second, 8);
        assertEquals(List.of(4L, 6L, 8L), steps(second.committed()), "2 goes, the corrupt 4 stays for a human");
        assertEquals(8, CheckpointStore.stepOf(store(root, 2).latest().orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void recommittingTheStepOfACorruptCheckpointMovesItAsideInsteadOfDeletingIt(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        CheckpointStore first = store(root, 3);
        commit(first, 2);
        Path four = commit(first, 4);
        tamper(first, new Path(four, "model.safetensors"), CheckpointStoreTest::flipByte);

        CheckpointStore resumed = store(root, 3);
        assertEquals(2, CheckpointStore.stepOf(resumed.latest().orElseThrow()));
        commit(resumed, 4); // the resumed run reaches step 4 again
        FileStatus[] aside = resumed.fileSystem().globStatus(new Path(root, "corrupt-step-00000004-*"));
        assertEquals(1, aside.length);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("moved corrupt checkpoint") && w.contains(aside[0].getPath().getName())), warnings.toString());
        assertTrue(Arrays.equals(flipByte(model(4)), stored(resumed, new Path(aside[0].getPath(), "model.safetensors"))),
                "the corrupt bytes are kept as they were");
        assertEquals(4, CheckpointStore.stepOf(store(root, 3).latest().orElseThrow()), "the new step 4 verifies");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hdfs", "file"})
    void aCheckpointWrittenBeforeManifestsIsUsedWithAWarningAndPrunedLikeAnyOther(String kind, MiniDfs dfs) throws Exception {
        String root = root(kind, dfs);
        FileSystem fs = store(root, 1).fileSystem();
        Path legacy = new Path(root, "step-00000003"); // what the code before manifests left: files and an empty marker
        try (OutputStream out = fs.create(new Path(legacy, "trainer.json"))) {
            out.write("{\"step\":3}".getBytes(StandardCharsets.UTF_8));
        }
        fs.create(new Path(legacy, CheckpointStore.COMMITTED)).close();

        CheckpointStore store = store(root, 1);
        assertEquals(legacy, store.resolve("latest").orElseThrow().makeQualified(fs.getUri(), fs.getWorkingDirectory()));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("step-00000003 is not verified: written before integrity manifests"), warnings.get(0));
        commit(store, 5);
        assertEquals(List.of(5L), steps(store.committed()), "keep 1: the older, unverifiable one goes");
    }

    @Test
    void commitRefusesAFileStillBeingWritten(MiniDfs dfs) throws IOException {
        CheckpointStore store = store(dfs.uri() + "/runs/open", 3);
        CheckpointStore.Writer w = store.begin(1);
        w.create("optimizer.bin").write(1); // never closed: its hash is not known
        IOException e = assertThrows(IOException.class, w::commit);
        assertTrue(e.getMessage().contains("optimizer.bin"), e.getMessage());
        assertFalse(store.latest().isPresent());
    }
}
