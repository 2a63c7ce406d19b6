package io.frugalspark.optim.method;

import io.frugalspark.optim.rule.NoUpdate;
import io.frugalspark.optim.rule.Sgd;
import io.frugalspark.optim.rule.SignSgd;
import io.frugalspark.optim.rule.SinkGd;
import io.frugalspark.optim.rule.StatelessRule;
import io.frugalspark.optim.rule.Swan;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The state-free rule on the complement of the state-full subspace, by the reference's names. */
public enum StateFree {
    SIGN_SGD("sign_sgd"), SGD("sgd"), SINKGD("sinkgd"), SWAN("swan"), NONE("no");

    private final String key;

    StateFree(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static StateFree of(String key) {
        for (StateFree r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown state-free rule '" + key + "' ("
                + Arrays.stream(values()).map(StateFree::key).collect(Collectors.joining(", ")) + ")");
    }

    /** A fresh rule with the papers' defaults. */
    public StatelessRule create() {
        return switch (this) {
            case SIGN_SGD -> new SignSgd();
            case SGD -> new Sgd();
            case SINKGD -> SinkGd.defaults();
            case SWAN -> Swan.defaults();
            case NONE -> new NoUpdate();
        };
    }
}
