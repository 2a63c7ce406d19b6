// AdamW as ALGORITHMS.md section 2: decoupled decay first (decay = 1 - lr_group * weight_decay), then
// the Adam step with eps added after bias correction (torch's denominator). The host passes the bias
// corrections of this tensor's step counter (bias1 = 1 - b1^t, bias2_sqrt = sqrt(1 - b2^t)).
extern "C" __global__ void __launch_bounds__(256)
adamw_step(float* param, const float* grad, float* m, float* v, long n, float lr, float beta1,
           float beta2, float eps, float decay, float bias1, float bias2_sqrt) {
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x) {
        float g = grad[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * g;
        float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] = param[i] * decay - (lr / bias1) * mi / (sqrtf(vi) / bias2_sqrt + eps);
    }
}
