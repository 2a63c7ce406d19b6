// Deterministic reductions: every sum has a fixed shape (grid and block sizes come from the host's
// plan, never from the device), so the same inputs give the same bits run to run.
#include "common.cuh"

// Statistics of many tensors of one arena in one launch: grid = (blocks, tensors); tensor i spans
// x[offsets[i] .. offsets[i+1]). partial[(i * blocks + b) * 3 + {0,1,2}] = sum, sum of squares, max |x|.
extern "C" __global__ void __launch_bounds__(256)
tensor_stats_partial(float* partial, const float* x, const long* offsets) {
    __shared__ float scratch[32];
    long begin = offsets[blockIdx.y], end = offsets[blockIdx.y + 1];
    float sum = 0.0f, sq = 0.0f, mx = 0.0f;
    for (long i = begin + (long)blockIdx.x * blockDim.x + threadIdx.x; i < end; i += (long)gridDim.x * blockDim.x) {
        float e = x[i];
        sum += e;
        sq += e * e;
        mx = fmaxf(mx, fabsf(e));
    }
    sum = block_sum(sum, scratch);
    sq = block_sum(sq, scratch);
    mx = block_max(mx, scratch);
    if (threadIdx.x == 0) {
        float* p = partial + ((size_t)blockIdx.y * gridDim.x + blockIdx.x) * 3;
        p[0] = sum; p[1] = sq; p[2] = mx;
    }
}

// stats[i * 3 + k] from tensor i's `blocks` partials; grid = tensors.
extern "C" __global__ void __launch_bounds__(256)
tensor_stats_finish(float* stats, const float* partial, int blocks) {
    __shared__ float scratch[32];
    const float* p = partial + (size_t)blockIdx.x * blocks * 3;
    float sum = 0.0f, sq = 0.0f, mx = 0.0f;
    for (int b = threadIdx.x; b < blocks; b += blockDim.x) {
        sum += p[b * 3];
        sq += p[b * 3 + 1];
        mx = fmaxf(mx, p[b * 3 + 2]);
    }
    sum = block_sum(sum, scratch);
    sq = block_sum(sq, scratch);
    mx = block_max(mx, scratch);
    if (threadIdx.x == 0) {
        stats[blockIdx.x * 3] = sum; stats[blockIdx.x * 3 + 1] = sq; stats[blockIdx.x * 3 + 2] = mx;
    }
}

// out[c] += sum over chunks (in order) of partial[chunk * channels + c]: the second pass of a
// column sum whose first pass wrote per-chunk partials (RMSNorm's weight gradient).
extern "C" __global__ void __launch_bounds__(256)
column_sum_add(float* out, const float* partial, int chunks, int channels) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= channels) return;
    float acc = 0.0f;
    for (int k = 0; k < chunks; k++) acc += partial[(size_t)k * channels + c];
    out[c] += acc;
}
