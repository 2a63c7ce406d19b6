package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** embedding.cu: token gather and the bucketed, atomic-free gradient scatter. */
public final class Embedding {
    private final CudaDevice device;
    private final CUfunc_st forward, backward;

    public Embedding(CudaDevice device) {
        this.device = device;
        forward = device.function(KernelSource.EMBEDDING, "embedding_forward");
        backward = device.function(KernelSource.EMBEDDING, "embedding_backward");
    }

    /** out[rows, channels] = table[tokens[row]]. */
    public void forward(long out, long tokens, long table, int rows, int channels) {
        device.launch(forward, LaunchPlan.perRow(rows), out, tokens, table, channels);
    }

    /** dtable[token] += sum of dout over the token's positions; the bucket arrays come from EmbeddingBuckets. */
    public void backward(long dtable, long dout, long bucketTokens, long starts, long positions, int distinct, int channels) {
        device.launch(backward, LaunchPlan.perRow(distinct), dtable, dout, bucketTokens, starts, positions, channels);
    }
}
