// SwiGLU: h = silu(gate) * up, the LLaMA MLP's middle. Elementwise, grid-stride.
__device__ __forceinline__ float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

extern "C" __global__ void __launch_bounds__(256)
swiglu_forward(float* h, const float* gate, const float* up, long n) {
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x) {
        float g = gate[i];
        h[i] = g * sigmoid(g) * up[i];
    }
}

// dgate = dh * up * silu'(gate), dup = dh * silu(gate); written, not added (activation gradients).
extern "C" __global__ void __launch_bounds__(256)
swiglu_backward(float* dgate, float* dup, const float* dh, const float* gate, const float* up, long n) {
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x) {
        float g = gate[i], s = sigmoid(g), d = dh[i];
        dgate[i] = d * up[i] * s * (1.0f + g * (1.0f - s));
        dup[i] = d * g * s;
    }
}
