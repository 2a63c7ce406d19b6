package io.frugalspark.optim.rule;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SinkGD: SR-Sinkhorn normalisation of the gradient (rows to l2 norm sqrt(n), then columns to
 * sqrt(m), L times; norms clamped at 1e-8), so entries have RMS 1 like a sign update. Rows and
 * columns that are exactly zero (masked by a coordinate selector) are left out of n and m:
 * normalisation over the free entries.
 *
 * <p>Every step only rescales rows and columns, so X = diag(r) G diag(c): each iteration is one
 * read-only sweep over G that updates r row by row and accumulates the next column norms, and X is
 * written once at the end (straight into the update). The first row step's target cancels in the
 * column step that follows, which lets that sweep also count the free columns.
 */
public record SinkGd(int iterations) implements StatelessRule {
    private static final double CLAMP = 1e-8;

    public static SinkGd defaults() {
        return new SinkGd(5);
    }

    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        if (target.rank() > 1 && target.ordering() != 'c') {
            INDArray x = normalise(g, scratch);
            target.addi(x.mul(-lr));
            return lr * lr * Blas.dot(x, x);
        }
        INDArray src = rowMajor(g, scratch);
        double[][] rc = scalings(src);
        return lr * lr * write(src, rc, target, -lr);
    }

    /** Writes SR-Sinkhorn(g) into {@code out} (row-major, shape of g; vectors are one row) and returns it. */
    public INDArray normalise(INDArray g, INDArray out) {
        INDArray src = rowMajor(g, out);
        double[][] rc = scalings(src);
        write(src, rc, out.assign(0.0), 1.0);
        return out;
    }

    private static INDArray rowMajor(INDArray g, INDArray scratch) {
        return g.rank() < 2 || g.ordering() == 'c' ? g : scratch.assign(g);
    }

    private static int rows(INDArray g) {
        return g.rank() == 2 ? (int) g.size(0) : 1;
    }

    /** Row and column scalings r, c of SR-Sinkhorn(g) = diag(r) g diag(c). */
    private double[][] scalings(INDArray g) {
        int rows = rows(g);
        int cols = (int) (g.length() / rows);
        Lane x = Lane.of(g);
        double[] r = new double[rows];
        double[] c = new double[cols];
        java.util.Arrays.fill(r, 1.0);
        java.util.Arrays.fill(c, 1.0);
        double rowTarget = 1.0; // first sweep: any common target (it cancels), free columns unknown yet
        double colTarget = 0;
        for (int it = 0; it < iterations; it++) {
            double t = rowTarget;
            double[] colSq = Fused.columnSums(rows, cols + 1, (from, to) -> sweep(x, cols, from, to, r, c, t));
            if (it == 0) {
                rowTarget = Math.sqrt(nonZero(colSq, cols));
                colTarget = Math.sqrt(colSq[cols]);
            }
            for (int j = 0; j < cols; j++) {
                c[j] = rescale(c[j], c[j] * Math.sqrt(colSq[j]), colTarget);
            }
        }
        return new double[][] {r, c};
    }

    /**
     * Row step over rows [from, to): r_i scaled so row i of diag(r) g diag(c) has norm rowTarget.
     * Returns the column sums of squares of diag(r) g (without c), and in the last slot the number of
     * non-zero rows.
     */
    private static double[] sweep(Lane x, int cols, int from, int to, double[] r, double[] c, double rowTarget) {
        double[] colSq = new double[cols + 1];
        double[] row = new double[cols]; // one staged row: plain-array loops instead of per-element lane calls
        for (int i = from; i < to; i++) {
            x.load(i * cols, row, cols);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double v = row[j] * c[j];
                s += v * v;
            }
            r[i] = rescale(r[i], r[i] * Math.sqrt(s), rowTarget);
            double ri2 = r[i] * r[i];
            for (int j = 0; j < cols; j++) {
                colSq[j] += row[j] * row[j] * ri2;
            }
            colSq[cols] += s > 0 ? 1 : 0;
        }
        return colSq;
    }

    /** target += scale * diag(r) g diag(c); returns the squared norm of diag(r) g diag(c). */
    private static double write(INDArray g, double[][] rc, INDArray target, double scale) {
        Lane.sameLayout(g, target);
        Lane x = Lane.of(g);
        Lane t = Lane.of(target);
        double[] r = rc[0];
        double[] c = rc[1];
        int cols = c.length;
        double[] sq = Fused.columnSums(r.length, 1, (from, to) -> {
            double[] xs = new double[cols];
            double[] ts = new double[cols];
            double acc = 0;
            for (int i = from; i < to; i++) {
                x.load(i * cols, xs, cols);
                t.load(i * cols, ts, cols);
                for (int j = 0; j < cols; j++) {
                    double v = r[i] * xs[j] * c[j];
                    ts[j] += scale * v;
                    acc += v * v;
                }
                t.store(i * cols, ts, cols);
            }
            return new double[] {acc};
        });
        return sq[0];
    }

    /** The scaling that takes a line of the given norm to target; an all-zero line keeps its scaling (no overflow). */
    private static double rescale(double scaling, double norm, double target) {
        return norm == 0 ? scaling : target * scaling / Math.max(norm, CLAMP);
    }

    private static int nonZero(double[] sq, int n) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (sq[j] != 0) count++;
        }
        return count;
    }
}
