package io.frugalspark.data.shard;

import io.frugalspark.data.Manifest;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Random access over the shards of one split (or a subset of them) as one sequence index space,
 * shards in manifest order. Only complete outputs open: the manifest must exist.
 */
public final class TokenShards implements Closeable {
    private final Manifest manifest;
    private final List<ShardFile> files;
    private final long[] starts;

    private TokenShards(Manifest manifest, List<ShardFile> files) {
        this.manifest = manifest;
        this.files = files;
        this.starts = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) {
            starts[i + 1] = starts[i] + files.get(i).count();
        }
    }

    /** Every shard of the split, read on demand. */
    public static TokenShards open(String outputUri, String split) {
        return open(outputUri, split, new Configuration(), null);
    }

    /**
     * Shards of a split, read on demand (memory does not grow with the corpus).
     *
     * @param shardIndices indices into the split's shard list (a worker's assignment), or null for all
     */
    public static TokenShards open(String outputUri, String split, Configuration conf, int[] shardIndices) {
        Manifest m = Manifest.read(outputUri, conf);
        List<Manifest.Shard> all = m.split(split).shards();
        int[] pick = shardIndices != null ? shardIndices : java.util.stream.IntStream.range(0, all.size()).toArray();
        List<ShardFile> files = new ArrayList<>();
        for (int i : pick) {
            Manifest.Shard s = all.get(i);
            ShardFile f = ShardFile.open(new Path(outputUri, s.path()), conf);
            if (f.count() != s.sequences() || f.seqLen() != m.seqLen() || f.header().dtype() != m.shardDtype()) {
                f.close();
                throw new IllegalStateException(s.path() + " does not match the manifest (count " + f.count()
                        + " vs " + s.sequences() + ", seq_len " + f.seqLen() + " vs " + m.seqLen() + ")");
            }
            files.add(f);
        }
        return new TokenShards(m, files);
    }

    public Manifest manifest() {
        return manifest;
    }

    public long numSequences() {
        return starts[files.size()];
    }

    public int seqLen() {
        return manifest.seqLen();
    }

    public int numShards() {
        return files.size();
    }

    /** The i-th opened shard (index within this view). */
    public ShardFile shard(int i) {
        return files.get(i);
    }

    public int[] sequence(long i) {
        int[] seq = new int[seqLen()];
        read(i, seq);
        return seq;
    }

    public void read(long i, int[] into) {
        if (i < 0 || i >= numSequences()) {
            throw new IndexOutOfBoundsException("sequence " + i + " of " + numSequences());
        }
        int pos = Arrays.binarySearch(starts, i);
        int shard = pos >= 0 ? pos : -pos - 2;
        while (files.get(shard).count() == 0 || i >= starts[shard + 1]) {
            shard++;
        }
        files.get(shard).read(i - starts[shard], into);
    }

    /** Fills {@code batch} (rows of seq_len) with sequences {@code first, first+1, ...}. */
    public void readBatch(long first, int[][] batch) {
        for (int r = 0; r < batch.length; r++) {
            read(first + r, batch[r]);
        }
    }

    @Override
    public void close() {
        files.forEach(ShardFile::close);
    }
}
