package io.frugalspark.optim.schedule;

/** Multiplier of the base learning rate at optimizer call s (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double multiplier(long step);

    static LrSchedule constant() {
        return s -> 1.0;
    }
}
