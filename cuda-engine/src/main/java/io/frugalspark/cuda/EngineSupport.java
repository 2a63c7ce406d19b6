package io.frugalspark.cuda;

import java.util.List;
import java.util.Set;

/**
 * What the CUDA engine can train, checked before any work, judged by a method's building blocks (the
 * optimizers module's vocabulary, never preset names): AdamW on every tensor, or block selection
 * ({@code block-<order>}) with a signSGD, SGD or no state-free rule; dense models; fp32 everywhere and
 * bf16 GEMM inputs from Ampere on. Anything else is a configuration error that names what is supported.
 */
public final class EngineSupport {

    public static final Set<String> STATE_FREE_RULES = Set.of("sign_sgd", "sgd", "no");
    public static final List<String> PRECISIONS = List.of("fp32", "bf16");
    static final String SUPPORTED = "AdamW, and the FRUGAL family with block selection (block-<order>) and a sign_sgd, sgd or no"
            + " state-free rule (adamw, sgd, signsgd, frugal, frugal-rho0, badam, adafrugal); coordinate and projection selectors,"
            + " SinkGD, SWAN and SLTrain run on train.engine = cpu";

    private EngineSupport() {}

    /**
     * @param method the method's name, for the message
     * @param projects whether it has a projectable group (false: AdamW on every tensor)
     * @param selector its selector's vocabulary name, e.g. block-descending
     * @param stateFreeRule its state-free rule's name, e.g. sign_sgd
     */
    public static void requireMethod(String method, boolean projects, String selector, String stateFreeRule, boolean sltrain) {
        if (projects && !selector.startsWith("block-"))
            throw new IllegalArgumentException("optimizer.preset = " + method + " (selector " + selector
                    + ") is not available on the CUDA engine, which runs " + SUPPORTED);
        if (projects && !STATE_FREE_RULES.contains(stateFreeRule))
            throw new IllegalArgumentException("optimizer.preset = " + method + " (state-free rule " + stateFreeRule
                    + ") is not available on the CUDA engine, which runs " + SUPPORTED);
        if (sltrain) throw new IllegalArgumentException("model.sltrain = true is not available on the CUDA engine; use train.engine = cpu");
    }

    public static void requirePrecision(String precision, ComputeCapability cc, String deviceName) {
        if (!PRECISIONS.contains(precision))
            throw new IllegalArgumentException("train.precision = " + precision + ": the CUDA engine has " + String.join(", ", PRECISIONS));
        if (precision.equals("bf16") && !cc.hasBf16())
            throw new IllegalArgumentException("train.precision = bf16 needs bf16 tensor cores (sm_80 or newer); " + deviceName
                    + " is " + cc.sm() + " (" + cc.architecture() + "): use fp32");
    }
}
