package io.frugalspark.optim.conformance;

/** A vectors file that cannot be replayed: names the scenario and the field at fault. */
public final class VectorsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VectorsError(String scenario, String field, String problem) {
        super("scenario '" + scenario + "': " + problem + " '" + field + "'");
    }
}
