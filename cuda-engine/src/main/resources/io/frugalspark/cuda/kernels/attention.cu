// Causal self-attention softmax(q k^T * scale + mask) v, per (batch, head), q/k/v/out laid out
// [batch, time, heads, head_dim] (the q/k/v projections' outputs as they are). Online softmax over
// 32-key tiles held in shared memory: one warp per query row, one lane per key of the tile for the
// scores, one lane per feature (up to 4 each, head_dim <= 128) for the output. Eight query rows share
// each tile. Forward saves the log-sum-exp per row; backward recomputes probabilities from it.
// Every sum runs in a fixed order (no atomics): dq has its own kernel (a warp per query row) and
// dk/dv theirs (a warp per key row, looping over the later queries).
#include "common.cuh"

#define MAX_HEAD_DIM 128
#define ROWS 8      // query (or key) rows per block: one per warp, blockDim.x = 256
#define TILE 32     // keys (or queries) per shared-memory tile: one per lane
#define PER_LANE (MAX_HEAD_DIM / WARP)

struct Layout {
    size_t row_stride, base;
    __device__ Layout(int heads, int head_dim, int time)
        : row_stride((size_t)heads * head_dim),
          base((size_t)blockIdx.z * time * heads * head_dim + (size_t)blockIdx.y * head_dim) {}
    __device__ size_t at(int t, int d) const { return base + (size_t)t * row_stride + d; }
};

// Copies rows first..first+rows-1 of one head into shared memory (zeros past the end), times factor.
__device__ __forceinline__ void load_rows(float* dst, int pitch, const float* src, const Layout& L,
                                          int first, int rows, int time, int head_dim, float factor) {
    for (int i = threadIdx.x; i < rows * head_dim; i += blockDim.x) {
        int r = i / head_dim, d = i % head_dim, t = first + r;
        dst[r * pitch + d] = t < time ? src[L.at(t, d)] * factor : 0.0f;
    }
}

__device__ __forceinline__ float dot_rows(const float* a, const float* b, int head_dim) {
    float s = 0.0f;
    for (int d = 0; d < head_dim; d++) s += a[d] * b[d];
    return s;
}

// acc[j] (feature lane + 32 j) += sum over the tile's rows r of w_r * rows[r][feature]; w_r is lane r's w.
__device__ __forceinline__ void accumulate_tile(float* acc, float w, const float* rows, int pitch, int head_dim) {
    int lane = threadIdx.x % WARP;
    for (int r = 0; r < TILE; r++) {
        float wr = __shfl_sync(FULL_MASK, w, r);
        #pragma unroll
        for (int j = 0; j < PER_LANE; j++) {
            int d = lane + WARP * j;
            if (d < head_dim) acc[j] += wr * rows[r * pitch + d];
        }
    }
}

__device__ __forceinline__ void store_row(float* dst, const float* acc, const Layout& L, int t, int head_dim, float factor) {
    int lane = threadIdx.x % WARP;
    #pragma unroll
    for (int j = 0; j < PER_LANE; j++) {
        int d = lane + WARP * j;
        if (d < head_dim) dst[L.at(t, d)] = acc[j] * factor;
    }
}

// grid = (ceil(time / ROWS), heads, batch); lse is [batch, heads, time].
extern "C" __global__ void __launch_bounds__(256)
attention_forward(float* out, float* lse, const float* q, const float* k, const float* v,
                  int time, int heads, int head_dim, float scale) {
    __shared__ float qs[ROWS][MAX_HEAD_DIM];
    __shared__ float ks[TILE][MAX_HEAD_DIM + 1];   // +1: lanes read different rows of one column
    __shared__ float vs[TILE][MAX_HEAD_DIM];
    Layout L(heads, head_dim, time);
    int warp = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int q0 = blockIdx.x * ROWS, t = q0 + warp;
    load_rows(&qs[0][0], MAX_HEAD_DIM, q, L, q0, ROWS, time, head_dim, scale);
    float m = -INFINITY, l = 0.0f, acc[PER_LANE] = {};
    int last = min(time - 1, q0 + ROWS - 1);
    for (int k0 = 0; k0 <= last; k0 += TILE) {
        __syncthreads();
        load_rows(&ks[0][0], MAX_HEAD_DIM + 1, k, L, k0, TILE, time, head_dim, 1.0f);
        load_rows(&vs[0][0], MAX_HEAD_DIM, v, L, k0, TILE, time, head_dim, 1.0f);
        __syncthreads();
        if (t >= time || k0 > t) continue;            // uniform per warp
        int s = k0 + lane;
        float score = s <= t ? dot_rows(qs[warp], ks[lane], head_dim) : -INFINITY;
        float m_new = fmaxf(m, warp_max(score));      // finite: key k0 <= t is in this tile
        float p = s <= t ? expf(score - m_new) : 0.0f;
        float corr = expf(m - m_new);
        l = l * corr + warp_sum(p);
        #pragma unroll
        for (int j = 0; j < PER_LANE; j++) acc[j] *= corr;
        accumulate_tile(acc, p, &vs[0][0], MAX_HEAD_DIM, head_dim);
        m = m_new;
    }
    if (t >= time) return;
    store_row(out, acc, L, t, head_dim, 1.0f / l);
    if (lane == 0) lse[((size_t)blockIdx.z * heads + blockIdx.y) * time + t] = m + logf(l);
}

// delta[b, h, t] = sum_d dout * out, the softmax backward's row term. grid as forward.
extern "C" __global__ void __launch_bounds__(256)
attention_backward_delta(float* delta, const float* dout, const float* out, int time, int heads, int head_dim) {
    Layout L(heads, head_dim, time);
    int warp = threadIdx.x / WARP, lane = threadIdx.x % WARP, t = blockIdx.x * ROWS + warp;
    if (t >= time) return;
    float s = 0.0f;
    for (int d = lane; d < head_dim; d += WARP) s += dout[L.at(t, d)] * out[L.at(t, d)];
    s = warp_sum(s);
    if (lane == 0) delta[((size_t)blockIdx.z * heads + blockIdx.y) * time + t] = s;
}

// dq[t] = scale * sum_{s <= t} p_ts (dout_t . v_s - delta_t) k_s. Written, not added. grid as forward.
extern "C" __global__ void __launch_bounds__(256)
attention_backward_dq(float* dq, const float* dout, const float* q, const float* k, const float* v,
                      const float* lse, const float* delta, int time, int heads, int head_dim, float scale) {
    __shared__ float qs[ROWS][MAX_HEAD_DIM];
    __shared__ float dos[ROWS][MAX_HEAD_DIM];
    __shared__ float ks[TILE][MAX_HEAD_DIM + 1];
    __shared__ float vs[TILE][MAX_HEAD_DIM + 1];
    Layout L(heads, head_dim, time);
    int warp = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int q0 = blockIdx.x * ROWS, t = q0 + warp;
    load_rows(&qs[0][0], MAX_HEAD_DIM, q, L, q0, ROWS, time, head_dim, scale);
    load_rows(&dos[0][0], MAX_HEAD_DIM, dout, L, q0, ROWS, time, head_dim, 1.0f);
    size_t row = ((size_t)blockIdx.z * heads + blockIdx.y) * time;
    float lse_t = t < time ? lse[row + t] : 0.0f, delta_t = t < time ? delta[row + t] : 0.0f;
    float acc[PER_LANE] = {};
    int last = min(time - 1, q0 + ROWS - 1);
    for (int k0 = 0; k0 <= last; k0 += TILE) {
        __syncthreads();
        load_rows(&ks[0][0], MAX_HEAD_DIM + 1, k, L, k0, TILE, time, head_dim, 1.0f);
        load_rows(&vs[0][0], MAX_HEAD_DIM + 1, v, L, k0, TILE, time, head_dim, 1.0f);
        __syncthreads();
        if (t >= time || k0 > t) continue;
        int s = k0 + lane;
        float ds = 0.0f;
        if (s <= t) {
            float p = expf(dot_rows(qs[warp], ks[lane], head_dim) - lse_t);
            ds = p * (dot_rows(dos[warp], vs[lane], head_dim) - delta_t);
        }
        accumulate_tile(acc, ds, &ks[0][0], MAX_HEAD_DIM + 1, head_dim);
    }
    if (t < time) store_row(dq, acc, L, t, head_dim, scale);
}

// For key row s: dv[s] = sum_{t >= s} p_ts dout_t, dk[s] = scale * sum_{t >= s} ds_ts q_t.
// Written, not added. grid = (ceil(time / ROWS), heads, batch), one key row per warp.
extern "C" __global__ void __launch_bounds__(256)
attention_backward_dkdv(float* dk, float* dv, const float* dout, const float* q, const float* k,
                        const float* v, const float* lse, const float* delta,
                        int time, int heads, int head_dim, float scale) {
    __shared__ float kr[ROWS][MAX_HEAD_DIM];
    __shared__ float vr[ROWS][MAX_HEAD_DIM];
    __shared__ float qt[TILE][MAX_HEAD_DIM + 1];
    __shared__ float dot_t[TILE][MAX_HEAD_DIM + 1];
    __shared__ float lse_tile[TILE], delta_tile[TILE];
    Layout L(heads, head_dim, time);
    int warp = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int s0 = blockIdx.x * ROWS, s = s0 + warp;
    load_rows(&kr[0][0], MAX_HEAD_DIM, k, L, s0, ROWS, time, head_dim, 1.0f);
    load_rows(&vr[0][0], MAX_HEAD_DIM, v, L, s0, ROWS, time, head_dim, 1.0f);
    size_t row = ((size_t)blockIdx.z * heads + blockIdx.y) * time;
    float dk_acc[PER_LANE] = {}, dv_acc[PER_LANE] = {};
    for (int t0 = s0; t0 < time; t0 += TILE) {
        __syncthreads();
        load_rows(&qt[0][0], MAX_HEAD_DIM + 1, q, L, t0, TILE, time, head_dim, scale);
        load_rows(&dot_t[0][0], MAX_HEAD_DIM + 1, dout, L, t0, TILE, time, head_dim, 1.0f);
        if (threadIdx.x < TILE) {
            int t = t0 + threadIdx.x;
            lse_tile[threadIdx.x] = t < time ? lse[row + t] : 0.0f;
            delta_tile[threadIdx.x] = t < time ? delta[row + t] : 0.0f;
        }
        __syncthreads();
        if (s >= time) continue;
        int t = t0 + lane;
        float p = 0.0f, ds = 0.0f;
        if (t < time && t >= s) {
            p = expf(dot_rows(qt[lane], kr[warp], head_dim) - lse_tile[lane]);
            ds = p * (dot_rows(dot_t[lane], vr[warp], head_dim) - delta_tile[lane]);
        }
        accumulate_tile(dv_acc, p, &dot_t[0][0], MAX_HEAD_DIM + 1, head_dim);
        accumulate_tile(dk_acc, ds, &qt[0][0], MAX_HEAD_DIM + 1, head_dim);
    }
    if (s >= time) return;
    store_row(dv, dv_acc, L, s, head_dim, 1.0f);
    store_row(dk, dk_acc, L, s, head_dim, 1.0f);   // qt already carries the scale
}
