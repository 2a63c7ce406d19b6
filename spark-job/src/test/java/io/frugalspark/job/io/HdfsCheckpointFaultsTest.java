package io.frugalspark.job.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.testkit.MiniDfs;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.apache.hadoop.hdfs.protocol.LocatedBlocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process halves of the fault matrix's HDFS rows (scripts/fault-matrix.sh runs them against a
 * real driver): a checkpoint that overflows a space quota, and a datanode lost in the middle of a
 * checkpoint's file, on 3 datanodes with replication 2 and 1 MB blocks.
 */
class HdfsCheckpointFaultsTest {
    private static final int MB = 1 << 20;
    private static MiniDfs dfs;

    @BeforeAll
    static void start() throws IOException {
        dfs = MiniDfs.start(3, 2);
    }

    @AfterAll
    static void stop() {
        dfs.close();
    }

    private static Configuration client() {
        Configuration c = new Configuration(dfs.cluster().getConfiguration(0));
        c.setInt("dfs.replication", 2);
        c.setLong("dfs.blocksize", MB);
        return c;
    }

    private static void writeCheckpoint(CheckpointStore store, long step, byte[] model) throws IOException {
        CheckpointStore.Writer w = store.begin(step);
        try (OutputStream out = w.create("model.safetensors")) {
            out.write(model);
        }
        w.commit();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A datanode of the open pipeline of the checkpoint being written under {@code root} (polled until it has a second block). */
    private static String pipelineHead(String root) throws IOException, InterruptedException {
        DistributedFileSystem fs = (DistributedFileSystem) dfs.fileSystem();
        Path tmp = fs.listStatus(new Path(root))[0].getPath();
        String file = new Path(tmp, "model.safetensors").toUri().getPath();
        for (int i = 0; i < 500; i++) {
            LocatedBlocks blocks = fs.getClient().getLocatedBlocks(file, 0);
            if (blocks.locatedBlockCount() >= 2) {
                return blocks.getLastLocatedBlock().getLocations()[0].getXferAddr();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(file + " never reached its second block");
    }

    @Test
    void aCheckpointOverflowingAQuotaFailsNamingItAndThePreviousOneStaysTheVerifiedLatest() throws IOException {
        Path root = new Path("/quota/ckpt");
        CheckpointStore store = new CheckpointStore(dfs.uri() + root.toString(), client(), 5);
        writeCheckpoint(store, 4, bytes(3 * MB, 4));
        DistributedFileSystem fs = (DistributedFileSystem) dfs.fileSystem();
        long used = fs.getContentSummary(root).getSpaceConsumed();
        fs.setQuota(root, HdfsConstants.QUOTA_DONT_SET, used + 3 * MB); // half of the next one's 2 x 3 MB
        try {
            IOException e = assertThrows(IOException.class, () -> writeCheckpoint(store, 8, bytes(3 * MB, 8)));
            assertTrue(e.getMessage().contains("DiskSpace quota of " + root), e.getMessage());
        } finally {
            fs.setQuota(root, HdfsConstants.QUOTA_DONT_SET, HdfsConstants.QUOTA_RESET);
        }
        CheckpointStore fresh = new CheckpointStore(dfs.uri() + root.toString(), client(), 5);
        assertEquals(4, CheckpointStore.stepOf(fresh.latest().orElseThrow()), "the overflowing checkpoint stays invisible");
        assertEquals(2, fs.listStatus(root).length, "step 4 and the failed write's temporary directory");
        writeCheckpoint(fresh, 8, bytes(3 * MB, 8));
        assertEquals(8, CheckpointStore.stepOf(fresh.latest().orElseThrow()), "with the quota lifted the next one commits");
        assertEquals(List.of("step-00000004", "step-00000008"), Arrays.stream(fs.listStatus(root)).map(st -> st.getPath().getName()).sorted().toList(),
                "committing step 8 swept the failed write's temporary directory");
    }

    @Test
    void aDatanodeLostInTheMiddleOfAFileLeavesACheckpointThatCommitsAndVerifies() throws Exception {
        String dir = dfs.uri() + "/datanode/ckpt";
        CheckpointStore store = new CheckpointStore(dir, client(), 5);
        byte[] model = bytes(3 * MB + 12345, 1);
        CheckpointStore.Writer w = store.begin(4);
        OutputStream out = w.create("model.safetensors");
        out.write(model, 0, MB + MB / 2); // into the second block
        MiniDFSCluster.DataNodeProperties lost = dfs.cluster().stopDataNode(pipelineHead("/datanode/ckpt"));
        try {
            out.write(model, MB + MB / 2, model.length - (MB + MB / 2));
            out.close();
            w.commit();
        } finally {
            dfs.cluster().restartDataNode(lost, true);
            dfs.cluster().waitActive();
        }
        CheckpointStore fresh = new CheckpointStore(dir, client(), 5);
        Path latest = fresh.latest().orElseThrow();
        assertEquals(4, CheckpointStore.stepOf(latest));
        fresh.resolve(latest.toString()); // throws unless every file matches its SHA-256
    }
}
