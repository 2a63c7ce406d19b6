package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/**
 * reduce.cu: sum, sum of squares and max |x| of every tensor of an arena in two launches with a fixed
 * shape, so the driver's statistics (and the loss sum) are the same bits run to run. Results stay on
 * the device until the round's exchange copies them out.
 */
public final class TensorStats {
    private final CudaDevice device;
    private final CUfunc_st partial, finish;

    public TensorStats(CudaDevice device) {
        this.device = device;
        partial = device.function(KernelSource.REDUCE, "tensor_stats_partial");
        finish = device.function(KernelSource.REDUCE, "tensor_stats_finish");
    }

    public static long scratchFloats(int tensors) {
        return (long) tensors * LaunchPlan.STATS_BLOCKS * 3;
    }

    /** offsets: device copy of ArenaLayout.statsOffsets(); stats: 3 floats per tensor. */
    public void compute(long stats, long scratch, long arena, long offsets, int tensors) {
        device.launch(partial, LaunchPlan.statsPartial(tensors), scratch, arena, offsets);
        device.launch(finish, LaunchPlan.statsFinish(tensors), stats, scratch, LaunchPlan.STATS_BLOCKS);
    }
}
