package io.frugalspark.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS on loopback (one datanode unless asked for more), for tests where HDFS semantics matter. */
public final class MiniDfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private MiniDfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    public static MiniDfs start() throws IOException {
        return start(1, 1);
    }

    /** {@code dataNodes} datanodes; files written through {@link #fileSystem()} get {@code replication} replicas. */
    public static MiniDfs start(int dataNodes, int replication) throws IOException {
        File base = Files.createTempDirectory("minidfs").toFile();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.setBoolean("dfs.permissions.enabled", false);
        conf.setInt("dfs.replication", replication);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(dataNodes).build();
        cluster.waitActive();
        return new MiniDfs(cluster);
    }

    /** hdfs://127.0.0.1:PORT */
    public URI uri() {
        return cluster.getURI();
    }

    public FileSystem fileSystem() throws IOException {
        return cluster.getFileSystem();
    }

    /** The cluster itself, for fault injection (stopping datanodes, quotas). */
    public MiniDFSCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
