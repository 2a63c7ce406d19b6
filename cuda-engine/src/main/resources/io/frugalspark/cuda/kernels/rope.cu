// Rotary position embedding, Hugging Face "rotate_half" pairing: feature i goes with i + head_dim/2.
// The cos/sin tables [time, head_dim/2] come from the host (RopeTables, computed in double once), so
// GPU and CPU engines rotate by the same float angles. Backward is the inverse rotation: direction -1.
// In place on x [batch, time, heads, head_dim].
extern "C" __global__ void __launch_bounds__(256)
rope_rotate(float* x, const float* cos_table, const float* sin_table, int time, int heads, int head_dim,
            long pairs, float direction) {
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= pairs) return;
    int half = head_dim / 2;
    int j = (int)(i % half);
    long row = i / half;                       // (batch * time + t) * heads + head
    int t = (int)((row / heads) % time);
    float c = cos_table[t * half + j], s = direction * sin_table[t * half + j];
    float* v = x + row * head_dim;
    float a = v[j], b = v[j + half];
    v[j] = a * c - b * s;
    v[j + half] = b * c + a * s;
}
