package io.frugalspark.cuda;

import java.util.List;
import java.util.Set;

/**
 * What the CUDA engine can train, checked before any work: the optimizer presets whose steps are AdamW,
 * block-selection FRUGAL with a signSGD, SGD or no state-free rule, and signSGD; fp32 everywhere and bf16
 * GEMM inputs from Ampere on. Anything else is a configuration error that names what is supported.
 */
public final class EngineSupport {

    public static final List<String> METHODS = List.of("adamw", "signsgd", "frugal", "frugal-rho0", "adafrugal");
    public static final Set<String> STATE_FREE_RULES = Set.of("sign_sgd", "sgd", "no");
    public static final List<String> PRECISIONS = List.of("fp32", "bf16");

    private EngineSupport() {}

    public static void requireMethod(String preset, String selector, String stateFreeRule, boolean sltrain) {
        if (!METHODS.contains(preset))
            throw new IllegalArgumentException("optimizer.preset = " + preset + " is not available on the CUDA engine, which runs "
                    + String.join(", ", METHODS) + " (block selection only; coordinate and projection selectors, SinkGD, "
                    + "SWAN and SLTrain run on train.engine = cpu)");
        if (!preset.equals("adamw") && !preset.equals("signsgd") && !selector.equals("block"))
            throw new IllegalArgumentException("the CUDA engine selects whole tensors (block selector); " + preset
                    + " with selector " + selector + " runs on train.engine = cpu");
        if (!STATE_FREE_RULES.contains(stateFreeRule))
            throw new IllegalArgumentException("state-free rule " + stateFreeRule + " is not available on the CUDA engine, which has "
                    + String.join(", ", STATE_FREE_RULES.stream().sorted().toList()));
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
