package io.frugalspark.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real single-datanode HDFS on loopback, for tests where HDFS semantics matter. */
public final class MiniDfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private MiniDfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    public static MiniDfs start() throws IOException {
        File base = Files.createTempDirectory("minidfs").toFile();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.setBoolean("dfs.permissions.enabled", false);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
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

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
