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
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checkpoint directories on a real HDFS: atomic commit, latest, pruning, crash leftovers. */
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
}
