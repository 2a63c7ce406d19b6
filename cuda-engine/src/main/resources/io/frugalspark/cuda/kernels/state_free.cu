// FRUGAL's state-free rules for the tensors a block selection leaves inactive (and plain signSGD/SGD):
// rule 0 = none (decay only), 1 = signSGD (sign(0) = 0), 2 = SGD. decay = 1 - lr_group * weight_decay.
extern "C" __global__ void __launch_bounds__(256)
state_free_step(float* param, const float* grad, long n, float lr, float decay, int rule) {
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x) {
        float g = grad[i];
        float u = rule == 1 ? (float)((g > 0.0f) - (g < 0.0f)) : rule == 2 ? g : 0.0f;
        param[i] = param[i] * decay - lr * u;
    }
}
