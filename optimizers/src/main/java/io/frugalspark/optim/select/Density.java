package io.frugalspark.optim.select;

/**
 * The fraction rho of a group that is state-full, with the reference's rounding: ranks and the
 * initial block count round half-to-even, coordinate counts truncate, and once a controller has
 * updated rho (AdaFRUGAL) block counts take the floor.
 */
public record Density(double rho, boolean updated) {

    public Density {
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("density must lie in [0, 1], got " + rho);
        }
    }

    /**
     * The smallest density whose updated block count over n blocks is k: k / n, nudged up where
     * floating point puts n * (k / n) just below k (1/49 * 49 < 1), so that a controller choosing k
     * blocks and the optimizer's floor agree.
     */
    public static double ofBlocks(int k, int n) {
        double rho = (double) k / n;
        while (Math.floor(n * rho) < k) {
            rho = Math.nextUp(rho);
        }
        return rho;
    }

    public int blocks(int n) {
        return (int) (updated ? Math.floor(n * rho) : Math.rint(n * rho));
    }

    public int rank(long dim) {
        return (int) Math.rint(dim * rho);
    }

    public int coordinates(long len) {
        return (int) (len * rho);
    }
}
