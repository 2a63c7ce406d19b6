package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** rope.cu: rotate q or k in place, forward (+1) or backward (-1, the inverse rotation of the gradient). */
public final class Rope {
    private final CudaDevice device;
    private final CUfunc_st rotate;

    public Rope(CudaDevice device) {
        this.device = device;
        rotate = device.function(KernelSource.ROPE, "rope_rotate");
    }

    public void forward(long x, long cos, long sin, int batch, int time, int heads, int headDim) {
        launch(x, cos, sin, batch, time, heads, headDim, 1f);
    }

    public void backward(long dx, long cos, long sin, int batch, int time, int heads, int headDim) {
        launch(dx, cos, sin, batch, time, heads, headDim, -1f);
    }

    private void launch(long x, long cos, long sin, int batch, int time, int heads, int headDim, float direction) {
        long pairs = (long) batch * time * heads * (headDim / 2);
        device.launch(rotate, LaunchPlan.rope(pairs), x, cos, sin, time, heads, headDim, pairs, direction);
    }
}
