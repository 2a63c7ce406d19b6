package io.frugalspark.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;

/** classifier.cu: softmax cross entropy fused with its gradient, over lm_head's logits in place. */
public final class CrossEntropy {
    private final CudaDevice device;
    private final CUfunc_st kernel;

    public CrossEntropy(CudaDevice device) {
        this.device = device;
        kernel = device.function(KernelSource.CLASSIFIER, "softmax_cross_entropy");
    }

    /**
     * logits [rows, vocab] become their gradient; losses[row] the row's loss (0 when ignored).
     * stepTargets: non-ignored targets over every micro-batch of the step, so gradients add to the mean's.
     */
    public void forwardBackward(long logits, long losses, long targets, int rows, int vocab, int ignoreIndex, long stepTargets) {
        if (stepTargets <= 0) throw new IllegalArgumentException("a step with no targets to learn from");
        device.launch(kernel, LaunchPlan.classifier(rows), logits, losses, targets, vocab, ignoreIndex, (float) (1.0 / stepTargets));
    }
}
