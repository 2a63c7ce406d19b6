// fp32 -> bf16 copies of weights and activations for bf16 GEMMs (fp32 masters stay). Round to nearest
// even on the bits, NaN kept quiet, so no header beyond NVRTC's own is needed.
extern "C" __global__ void __launch_bounds__(256)
float_to_bf16(unsigned short* out, const float* in, long n) {
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x) {
        unsigned int u = __float_as_uint(in[i]);
        bool nan = (u & 0x7fffffffu) > 0x7f800000u;
        out[i] = nan ? (unsigned short)((u >> 16) | 0x40u) : (unsigned short)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }
}
