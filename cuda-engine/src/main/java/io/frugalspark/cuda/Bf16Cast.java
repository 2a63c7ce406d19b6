package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** cast.cu: bf16 copies of fp32 tensors for bf16 GEMMs (round to nearest even). */
public final class Bf16Cast {
    private final CudaDevice device;
    private final CUfunc_st kernel;

    public Bf16Cast(CudaDevice device) {
        this.device = device;
        kernel = device.function(KernelSource.CAST, "float_to_bf16");
    }

    public void cast(long outBf16, long inFloat, long n) {
        device.launch(kernel, LaunchPlan.elementwise(n), outBf16, inFloat, n);
    }
}
