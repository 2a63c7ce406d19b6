package io.frugalspark.optim.control;

import java.util.Locale;

/**
 * Which rule of AdaFRUGAL's driver-side controllers decided (or held back) a change, as the metrics
 * log and the run summary count them.
 */
public enum Rule {
    /** Nothing to change. */
    NONE,
    /** The input was not finite (a diverged step or evaluation): the controller's state did not change. */
    IGNORED,
    /** rho moved to the smallest density whose best blocks hold the target share of gradient energy. */
    ENERGY_RHO,
    /** Energy-targeted rho wanted another density but the minimum hold since the last change had not passed. */
    RHO_HELD,
    /** T steps have passed since the last re-selection (fixed or loss-aware T): the optimizer re-selects on its own. */
    PERIODIC,
    /** The linear rho decay changes the block count: the optimizer re-selects on its own. */
    BLOCK_COUNT,
    /** Loss-aware T grew: the validation loss moved by less than tau, under the guard. */
    LOSS_PLATEAU,
    /** Drift-aware T re-selects: the state-full share of gradient energy fell below its fraction of the reference. */
    DRIFT,
    /** Drift was seen but fewer than T_min steps have passed since the last re-selection. */
    T_MIN,
    /** T_max steps have passed since the last re-selection: re-select whatever the drift. */
    T_MAX,
    /** The active set is the k blocks of largest moving-average gradient energy per element. */
    IMPORTANCE,
    /** As {@link #IMPORTANCE}, with at least one block swapped in by seeded exploration. */
    EXPLORATION;

    /** The lower-case name the metrics use, e.g. {@code t_max}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
