package io.frugalspark.optim.rule;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/** A per-thread work array that grows to the longest length asked for (a row can exceed a chunk). */
final class PerThread<A> {
    private final ThreadLocal<A> local = new ThreadLocal<>();
    private final IntFunction<A> make;
    private final ToIntFunction<A> length;

    PerThread(IntFunction<A> make, ToIntFunction<A> length) {
        this.make = make;
        this.length = length;
    }

    A atLeast(int n) {
        A a = local.get();
        if (a == null || length.applyAsInt(a) < n) {
            a = make.apply(n);
            local.set(a);
        }
        return a;
    }
}
