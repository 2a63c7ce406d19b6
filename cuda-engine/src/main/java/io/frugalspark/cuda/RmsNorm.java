package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** rmsnorm.cu (and reduce.cu's column_sum_add for the weight gradient's second pass). */
public final class RmsNorm {
    private final CudaDevice device;
    private final CUfunc_st forward, backwardInput, weightPartial, columnSum;

    public RmsNorm(CudaDevice device) {
        this.device = device;
        forward = device.function(KernelSource.RMSNORM, "rmsnorm_forward");
        backwardInput = device.function(KernelSource.RMSNORM, "rmsnorm_backward_input");
        weightPartial = device.function(KernelSource.RMSNORM, "rmsnorm_backward_weight_partial");
        columnSum = device.function(KernelSource.REDUCE, "column_sum_add");
    }

    /** Scratch floats backward needs for the weight gradient's partial sums. */
    public static long scratchFloats(int rows, int channels) {
        return (long) LaunchPlan.normChunks(rows) * channels;
    }

    public void forward(long out, long rstd, long x, long weight, int rows, int channels, float eps) {
        device.launch(forward, LaunchPlan.perRow(rows), out, rstd, x, weight, channels, eps);
    }

    /** dx += input gradient; dweight += weight gradient (two fixed-order passes through scratch). */
    public void backward(long dx, long dweight, long scratch, long dy, long x, long weight, long rstd, int rows, int channels) {
        device.launch(backwardInput, LaunchPlan.perRow(rows), dx, dy, x, weight, rstd, channels);
        device.launch(weightPartial, LaunchPlan.normWeightPartial(rows, channels), scratch, dy, x, rstd, rows, channels,
                LaunchPlan.NORM_ROWS_PER_CHUNK);
        device.launch(columnSum, LaunchPlan.columnSum(channels), dweight, scratch, LaunchPlan.normChunks(rows), channels);
    }
}
