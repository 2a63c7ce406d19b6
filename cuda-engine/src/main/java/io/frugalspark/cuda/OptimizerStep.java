package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/**
 * adamw.cu and state_free.cu: one tensor's update as the driver's plan gives it (learning rates, the
 * tensor's step counter, whether it is active). The bias corrections are computed here in double, as
 * the reference does, and passed as floats.
 */
public final class OptimizerStep {

    /** The state-free rules by the kernel's numbering. */
    public enum Rule { NONE, SIGN_SGD, SGD }

    private final CudaDevice device;
    private final CUfunc_st adamw, stateFree;

    public OptimizerStep(CudaDevice device) {
        this.device = device;
        adamw = device.function(KernelSource.ADAMW, "adamw_step");
        stateFree = device.function(KernelSource.STATE_FREE, "state_free_step");
    }

    /** step: the tensor's counter after this step's increment (1 on the first step and after a reset). */
    public void adamw(long param, long grad, long m, long v, long n, double lr, double beta1, double beta2, double eps,
                      double decayLr, double weightDecay, long step) {
        device.launch(adamw, LaunchPlan.elementwise(n), param, grad, m, v, n, (float) lr, (float) beta1, (float) beta2, (float) eps,
                (float) (1 - decayLr * weightDecay), (float) (1 - Math.pow(beta1, step)), (float) Math.sqrt(1 - Math.pow(beta2, step)));
    }

    public void stateFree(long param, long grad, long n, double lr, double decayLr, double weightDecay, Rule rule) {
        device.launch(stateFree, LaunchPlan.elementwise(n), param, grad, n, (float) lr, (float) (1 - decayLr * weightDecay), rule.ordinal());
    }
}
