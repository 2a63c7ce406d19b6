package io.frugalspark.dl4j;

import io.frugalspark.data.Manifest;
import io.frugalspark.data.shard.TokenShards;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The data bridge: token shards of the pipeline as DL4J next-token minibatches. A sequence of L ids
 * gives features = ids[0..L-1) as [mb, L-1] and labels = ids[1..L) as sparse indices [mb, 1, L-1]
 * (for LossSparseMCXENT; not one-hot), with a label mask that hides padding. Exported batches are
 * {@code DataSet.save} files (what {@code fitPaths} reads) or {@code MultiDataSet.save} files
 * ({@code fitPathsMultiDataSet}). Under ParameterAveragingTrainingMaster, dl4j-spark 1.0.0-M2's
 * {@code SparkComputationGraph.fitPaths*} throw a NullPointerException (the master's path helper only
 * knows MultiLayerNetworks): graphs train from {@code paths.map(ShardBatches::read)} with {@code fit}.
 */
public final class ShardBatches {
    private ShardBatches() {
    }

    /** Next-token batch from ids [mb, L]; labels equal to {@code padId} are masked out (none when padId < 0). */
    public static DataSet nextToken(INDArray ids, int padId) {
        long len = ids.size(1);
        INDArray features = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(0, len - 1)).dup('c');
        INDArray next = ids.get(NDArrayIndex.all(), NDArrayIndex.interval(1, len)).dup('c');
        INDArray mask = padId < 0 ? null : next.neq(padId).castTo(DataType.FLOAT);
        return new DataSet(features, next.reshape('c', next.size(0), 1, len - 1), null, mask);
    }

    /** Next-token batch without padding. */
    public static DataSet nextToken(INDArray ids) {
        return nextToken(ids, -1);
    }

    /** Which DL4J serialization the exported files use. */
    public enum Layout {
        DATA_SET, MULTI_DATA_SET
    }

    /**
     * Writes the split's sequences as minibatches of {@code batchSize} (the last one may be smaller)
     * under {@code outDir} (any Hadoop file system URI) and returns their paths, in order.
     */
    public static List<String> export(String shardsDir, String split, String outDir, int batchSize, Layout layout) {
        List<String> paths = new ArrayList<>();
        try (TokenShards shards = TokenShards.open(shardsDir, split)) {
            Manifest m = shards.manifest();
            FileSystem fs = new Path(outDir).getFileSystem(new Configuration());
            for (long first = 0; first < shards.numSequences(); first += batchSize) {
                int mb = (int) Math.min(batchSize, shards.numSequences() - first);
                Path file = new Path(outDir, String.format("%s-%06d.bin", split, paths.size()));
                write(fs, file, nextToken(ids(shards, first, mb), m.padId()), layout);
                paths.add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    /** Reads one exported DataSet file (any Hadoop file system URI), e.g. inside an RDD map on executors. */
    public static DataSet read(String path) throws IOException {
        Path p = new Path(path);
        try (java.io.InputStream in = p.getFileSystem(new Configuration()).open(p)) {
            DataSet d = new DataSet();
            d.load(in);
            return d;
        }
    }

    private static INDArray ids(TokenShards shards, long first, int mb) {
        int[][] batch = new int[mb][shards.seqLen()];
        shards.readBatch(first, batch);
        return Nd4j.createFromArray(batch).castTo(DataType.FLOAT);
    }

    private static void write(FileSystem fs, Path file, DataSet batch, Layout layout) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            if (layout == Layout.DATA_SET) {
                batch.save(out);
            } else {
                new MultiDataSet(batch.getFeatures(), batch.getLabels(), null, batch.getLabelsMaskArray()).save(out);
            }
        }
    }
}
