// Token embedding. Forward gathers rows of the table; backward adds each distinct token's output
// gradients into its row. Determinism without float atomics: the host, which holds the batch's tokens
// before upload, groups positions by token (EmbeddingBuckets), so one block owns one table row and
// adds that token's positions in ascending order.
#include "common.cuh"

// grid.x = rows (batch x time); threads stride over channels.
extern "C" __global__ void __launch_bounds__(256)
embedding_forward(float* out, const int* tokens, const float* table, int channels) {
    const float* src = table + (size_t)tokens[blockIdx.x] * channels;
    float* dst = out + (size_t)blockIdx.x * channels;
    for (int c = threadIdx.x; c < channels; c += blockDim.x) dst[c] = src[c];
}

// grid.x = distinct tokens in the batch; bucket b holds positions[starts[b] .. starts[b+1]).
// Adds to dtable (parameter gradients accumulate over micro-batches; the step zeroes them first).
extern "C" __global__ void __launch_bounds__(256)
embedding_backward(float* dtable, const float* dout, const int* bucket_tokens, const int* starts,
                   const int* positions, int channels) {
    int b = blockIdx.x, begin = starts[b], end = starts[b + 1];
    float* row = dtable + (size_t)bucket_tokens[b] * channels;
    for (int c = threadIdx.x; c < channels; c += blockDim.x) {
        float acc = 0.0f;
        for (int i = begin; i < end; i++) acc += dout[(size_t)positions[i] * channels + c];
        row[c] += acc;
    }
}
