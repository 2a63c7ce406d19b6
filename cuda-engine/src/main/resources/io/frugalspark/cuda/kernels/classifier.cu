// lm_head's fused softmax cross entropy: one block per row of logits [rows, vocab]. Writes each row's
// loss (0 where the target is the ignore index) and overwrites the logits with their gradient
// grad_scale * (softmax - onehot), zero for ignored rows. grad_scale is 1 / (targets counted over every
// micro-batch of the step), so micro-batch gradients add up to the step's mean-loss gradient.
#include "common.cuh"

extern "C" __global__ void __launch_bounds__(1024)
softmax_cross_entropy(float* logits, float* losses, const int* targets, int vocab, int ignore_index,
                      float grad_scale) {
    __shared__ float scratch[32];
    float* row = logits + (size_t)blockIdx.x * vocab;
    int target = targets[blockIdx.x];
    float m = -INFINITY;
    for (int c = threadIdx.x; c < vocab; c += blockDim.x) m = fmaxf(m, row[c]);
    m = block_max(m, scratch);
    float s = 0.0f;
    for (int c = threadIdx.x; c < vocab; c += blockDim.x) s += expf(row[c] - m);
    float lse = m + logf(block_sum(s, scratch));
    bool ignored = target == ignore_index;
    if (threadIdx.x == 0) losses[blockIdx.x] = ignored ? 0.0f : lse - row[target];
    __syncthreads();                                  // row[target] is read before it is overwritten
    float scale = ignored ? 0.0f : grad_scale;
    for (int c = threadIdx.x; c < vocab; c += blockDim.x)
        row[c] = scale * (expf(row[c] - lse) - (c == target ? 1.0f : 0.0f));
}
