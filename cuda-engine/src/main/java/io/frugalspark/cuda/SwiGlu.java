package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** swiglu.cu: h = silu(gate) * up and its gradients. */
public final class SwiGlu {
    private final CudaDevice device;
    private final CUfunc_st forward, backward;

    public SwiGlu(CudaDevice device) {
        this.device = device;
        forward = device.function(KernelSource.SWIGLU, "swiglu_forward");
        backward = device.function(KernelSource.SWIGLU, "swiglu_backward");
    }

    public void forward(long h, long gate, long up, long n) {
        device.launch(forward, LaunchPlan.elementwise(n), h, gate, up, n);
    }

    public void backward(long dgate, long dup, long dh, long gate, long up, long n) {
        device.launch(backward, LaunchPlan.elementwise(n), dgate, dup, dh, gate, up, n);
    }
}
