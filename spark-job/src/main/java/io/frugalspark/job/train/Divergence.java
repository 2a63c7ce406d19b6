package io.frugalspark.job.train;

import java.io.Serializable;

/**
 * What the divergence guard saw: at which step, on which worker (-1: on the driver), what went
 * wrong and in which tensor.
 *
 * @param what "non-finite loss", "non-finite gradient", "non-finite parameter", "loss spike",
 *     "collapse to uniform", ...
 * @param tensor the first offending tensor, or null where no tensor is to blame (a loss)
 * @param value the offending value (a loss), NaN where not one number
 */
public record Divergence(long step, int worker, String what, String tensor, double value) implements Serializable {
    public String message() {
        return what + " at step " + step + (worker >= 0 ? " on worker " + worker : " on the driver")
                + (tensor != null ? " in " + tensor : "") + (Double.isNaN(value) ? "" : " (" + value + ")");
    }
}
