package io.frugalspark.optim;

import java.util.Locale;

/** What a tensor is in the model; model and optimizer exchange it as a lower-case string. */
public enum Role {
    EMBEDDING, NORM, ATTENTION, MLP, LM_HEAD, OTHER;

    public static Role of(String name) {
        for (Role r : values()) {
            if (r.key().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "' (embedding, norm, attention, mlp, lm_head, other)");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Attention and MLP weights form FRUGAL's projectable group. */
    public boolean projectable() {
        return this == ATTENTION || this == MLP;
    }
}
