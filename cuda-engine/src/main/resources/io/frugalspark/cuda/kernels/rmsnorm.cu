// RMSNorm y = w * x / sqrt(mean(x^2) + eps), one block per row, fp32 throughout (the CPU engine's and
// Hugging Face's convention). The weight gradient is a sum over all rows: it is done in two fixed-order
// passes (per-chunk partial sums here, reduce.cu's column_sum_add after) so no float atomics are used.
#include "common.cuh"

extern "C" __global__ void __launch_bounds__(256)
rmsnorm_forward(float* out, float* rstd, const float* x, const float* weight, int channels, float eps) {
    __shared__ float scratch[32];
    const float* xr = x + (size_t)blockIdx.x * channels;
    float* yr = out + (size_t)blockIdx.x * channels;
    float ss = 0.0f;
    for (int c = threadIdx.x; c < channels; c += blockDim.x) ss += xr[c] * xr[c];
    float r = rsqrtf(block_sum(ss, scratch) / channels + eps);
    for (int c = threadIdx.x; c < channels; c += blockDim.x) yr[c] = weight[c] * (xr[c] * r);
    if (threadIdx.x == 0) rstd[blockIdx.x] = r;
}

// dx = r * w * dy - x * r^3 * mean(w * dy * x). Adds into dx: the residual stream's gradient is
// already there, and the norm's contribution joins it.
extern "C" __global__ void __launch_bounds__(256)
rmsnorm_backward_input(float* dx, const float* dy, const float* x, const float* weight,
                       const float* rstd, int channels) {
    __shared__ float scratch[32];
    size_t base = (size_t)blockIdx.x * channels;
    float r = rstd[blockIdx.x];
    float dot = 0.0f;
    for (int c = threadIdx.x; c < channels; c += blockDim.x) dot += weight[c] * dy[base + c] * x[base + c];
    float k = block_sum(dot, scratch) / channels * r * r * r;
    for (int c = threadIdx.x; c < channels; c += blockDim.x)
        dx[base + c] += r * weight[c] * dy[base + c] - k * x[base + c];
}

// partial[chunk * channels + c] = sum over rows of this chunk (in row order) of dy * x * rstd.
// grid = (ceil(channels / blockDim.x), chunks); rows_per_chunk rows each.
extern "C" __global__ void __launch_bounds__(256)
rmsnorm_backward_weight_partial(float* partial, const float* dy, const float* x, const float* rstd,
                                int rows, int channels, int rows_per_chunk) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= channels) return;
    int begin = blockIdx.y * rows_per_chunk, end = min(rows, begin + rows_per_chunk);
    float acc = 0.0f;
    for (int r = begin; r < end; r++) acc += dy[(size_t)r * channels + c] * x[(size_t)r * channels + c] * rstd[r];
    partial[(size_t)blockIdx.y * channels + c] = acc;
}
