package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** attention.cu: causal attention over [batch, time, heads, headDim], forward saving lse, backward in three kernels. */
public final class Attention {
    private final CudaDevice device;
    private final CUfunc_st forward, delta, dq, dkdv;

    public Attention(CudaDevice device) {
        this.device = device;
        forward = device.function(KernelSource.ATTENTION, "attention_forward");
        delta = device.function(KernelSource.ATTENTION, "attention_backward_delta");
        dq = device.function(KernelSource.ATTENTION, "attention_backward_dq");
        dkdv = device.function(KernelSource.ATTENTION, "attention_backward_dkdv");
    }

    static float scale(int headDim) {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /** lse: batch * heads * time floats, kept for backward. */
    public void forward(long out, long lse, long q, long k, long v, int batch, int time, int heads, int headDim) {
        device.launch(forward, LaunchPlan.attention(batch, time, heads, headDim), out, lse, q, k, v, time, heads, headDim, scale(headDim));
    }

    /** deltaScratch: batch * heads * time floats. dq, dk, dv are written. */
    public void backward(long dq, long dk, long dv, long deltaScratch, long dout, long out, long q, long k, long v, long lse,
                         int batch, int time, int heads, int headDim) {
        LaunchPlan.Dims dims = LaunchPlan.attention(batch, time, heads, headDim);
        float scale = scale(headDim);
        device.launch(delta, dims, deltaScratch, dout, out, time, heads, headDim);
        device.launch(this.dq, dims, dq, dout, q, k, v, lse, deltaScratch, time, heads, headDim, scale);
        device.launch(dkdv, dims, dk, dv, dout, q, k, v, lse, deltaScratch, time, heads, headDim, scale);
    }
}
