package io.frugalspark.cuda;

/**
 * Grid and block sizes of every kernel, as pure functions of the shapes. The block sizes must equal the
 * kernels' __launch_bounds__; the reductions' grid sizes are fixed numbers (never the device's SM count),
 * so sums have the same shape, and the same bits, on every run and every GPU.
 */
public final class LaunchPlan {

    /** grid (x, y, z) and threads per block. */
    public record Dims(int gridX, int gridY, int gridZ, int block) {
        public long threads() {
            return (long) gridX * gridY * gridZ * block;
        }
    }

    public static final int BLOCK = 256;
    public static final int CLASSIFIER_BLOCK = 1024;
    /** Blocks per tensor in tensor_stats_partial. */
    public static final int STATS_BLOCKS = 64;
    /** Rows per partial sum of RMSNorm's weight gradient. */
    public static final int NORM_ROWS_PER_CHUNK = 256;
    /** Grid-stride elementwise kernels stop growing the grid here (enough to fill any GPU; 2^31-1 caps x). */
    static final int MAX_ELEMENTWISE_BLOCKS = 65536;
    /** attention.cu's MAX_HEAD_DIM, ROWS and TILE. */
    public static final int ATTENTION_MAX_HEAD_DIM = 128, ATTENTION_ROWS = 8;

    private LaunchPlan() {}

    public static Dims elementwise(long n) {
        if (n <= 0) throw new IllegalArgumentException("no elements: " + n);
        return new Dims((int) Math.min(ceil(n, BLOCK), MAX_ELEMENTWISE_BLOCKS), 1, 1, BLOCK);
    }

    /** One block per row: embedding, RMSNorm forward and input backward. */
    public static Dims perRow(long rows) {
        if (rows <= 0 || rows > Integer.MAX_VALUE) throw new IllegalArgumentException("rows " + rows);
        return new Dims((int) rows, 1, 1, BLOCK);
    }

    public static Dims classifier(long rows) {
        return new Dims(perRow(rows).gridX(), 1, 1, CLASSIFIER_BLOCK);
    }

    public static int normChunks(long rows) {
        return (int) ceil(rows, NORM_ROWS_PER_CHUNK);
    }

    public static Dims normWeightPartial(long rows, int channels) {
        return new Dims((int) ceil(channels, BLOCK), normChunks(rows), 1, BLOCK);
    }

    public static Dims columnSum(int channels) {
        return new Dims((int) ceil(channels, BLOCK), 1, 1, BLOCK);
    }

    public static Dims rope(long pairs) {
        if (pairs > (long) Integer.MAX_VALUE * BLOCK) throw new IllegalArgumentException("too many RoPE pairs: " + pairs);
        return new Dims((int) ceil(pairs, BLOCK), 1, 1, BLOCK);
    }

    /** All four attention kernels: a block per 8 rows of one (head, batch); head_dim up to 128, even. */
    public static Dims attention(int batch, int time, int heads, int headDim) {
        if (headDim > ATTENTION_MAX_HEAD_DIM || headDim % 2 != 0)
            throw new IllegalArgumentException("attention kernels take an even head dimension up to "
                    + ATTENTION_MAX_HEAD_DIM + ", got " + headDim);
        if (heads > 65535 || batch > 65535) throw new IllegalArgumentException("grid y/z over 65535: heads " + heads + ", batch " + batch);
        return new Dims((int) ceil(time, ATTENTION_ROWS), heads, batch, BLOCK);
    }

    public static Dims statsPartial(int tensors) {
        if (tensors > 65535) throw new IllegalArgumentException("more than 65535 tensors in one stats launch: " + tensors);
        return new Dims(STATS_BLOCKS, tensors, 1, BLOCK);
    }

    public static Dims statsFinish(int tensors) {
        return new Dims(tensors, 1, 1, BLOCK);
    }

    static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }
}
