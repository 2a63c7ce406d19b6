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
 * column step that follows, which lets that sweep also count the free columns. X goes to the
 * scratch buffer and reaches the target through BLAS axpy (one float store per element instead of a
 * load-add-store of the target in Java).
 */
public record SinkGd(int iterations) implements StatelessRule {
    private static final double CLAMP = 1e-8;

    public SinkGd {
        if (iterations < 1) {
            throw new IllegalArgumentException("SinkGD needs at least one Sinkhorn iteration, got " + iterations);
        }
    }

    public static SinkGd defaults() {
        return new SinkGd(5);
    }

    @Override
    public double apply(INDArray g, double lr, INDArray target, INDArray scratch) {
        Scaling x = scaled(g, scratch);
        Blas.axpy(-lr, scratch, target);
        return lr * lr * x.normSq();
    }

    /**
     * Writes SR-Sinkhorn(g) into {@code out} (row-major, shape of g; vectors are one row) and returns it.
     * {@code out} may hold g's row-major copy: each row is read before it is overwritten.
     */
    public INDArray normalise(INDArray g, INDArray out) {
        scaled(g, out);
        return out;
    }

    /** normalise, returning the scalings and |X|^2 as well. */
    private Scaling scaled(INDArray g, INDArray out) {
        INDArray src = rowMajor(g, out);
        Scaling x = scalings(src);
        write(src, x, out);
        return x;
    }

    /**
     * X = diag(r) G diag(c), and |X|^2 = sum_j c_j^2 (column sums of (diag(r) G)^2) from the last
     * sweep: the update's norm comes free, without another pass over X.
     */
    private record Scaling(double[] r, double[] c, double normSq) {
    }

    private static INDArray rowMajor(INDArray g, INDArray scratch) {
        return g.rank() < 2 || g.ordering() == 'c' ? g : scratch.assign(g);
    }

    private static int rows(INDArray g) {
        return g.rank() == 2 ? (int) g.size(0) : 1;
    }

    /** Row and column scalings r, c of SR-Sinkhorn(g) = diag(r) g diag(c). */
    private Scaling scalings(INDArray g) {
        int rows = rows(g);
        int cols = (int) (g.length() / rows);
        Lane x = Lane.of(g);
        double[] r = new double[rows];
        double[] c = new double[cols];
        java.util.Arrays.fill(r, 1.0);
        java.util.Arrays.fill(c, 1.0);
        double rowTarget = 1.0; // first sweep: any common target (it cancels), free columns unknown yet
        double colTarget = 0;
        double normSq = 0;
        for (int it = 0; it < iterations; it++) {
            double t = rowTarget;
            double[] c2 = squares(c);
            double[] colSq = Fused.columnSums(rows, cols + 1, (from, to) -> sweep(x, cols, from, to, r, c2, t));
            if (it == 0) {
                rowTarget = Math.sqrt(nonZero(colSq, cols));
                colTarget = Math.sqrt(colSq[cols]);
            }
            normSq = 0;
            for (int j = 0; j < cols; j++) {
                c[j] = rescale(c[j], c[j] * Math.sqrt(colSq[j]), colTarget);
                normSq += c[j] * c[j] * colSq[j];
            }
        }
        return new Scaling(r, c, normSq);
    }

    /**
     * Row step over rows [from, to): r_i scaled so row i of diag(r) g diag(c) has norm rowTarget.
     * Returns the column sums of squares of diag(r) g (without c), and in the last slot the number of
     * non-zero rows. Works on squared entries: |row i|^2 = g_i^2 . c^2, column sums += r_i^2 g_i^2.
     */
    private static double[] sweep(Lane x, int cols, int from, int to, double[] r, double[] c2, double rowTarget) {
        double[] colSq = new double[cols + 1];
        double[] sq = Fused.row(cols); // one staged row: plain-array loops instead of per-element lane calls
        for (int i = from; i < to; i++) {
            x.load(i * cols, sq, cols);
            double s = squareAndDot(sq, c2, cols);
            r[i] = rescale(r[i], r[i] * Math.sqrt(s), rowTarget);
            double ri2 = r[i] * r[i];
            for (int j = 0; j < cols; j++) {
                colSq[j] += sq[j] * ri2;
            }
            colSq[cols] += s > 0 ? 1 : 0;
        }
        return colSq;
    }

    /**
     * Squares v[0, n) in place and returns v^2 . w. Eight named accumulators (an accumulator array
     * measured 1.6x slower): C2 keeps a floating-point reduction in order and does not vectorise it,
     * so a single sum would wait on the adder every element.
     */
    static double squareAndDot(double[] v, double[] w, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 7 < n; j += 8) {
            s0 += square(v, w, j);     s1 += square(v, w, j + 1);
            s2 += square(v, w, j + 2); s3 += square(v, w, j + 3);
            s4 += square(v, w, j + 4); s5 += square(v, w, j + 5);
            s6 += square(v, w, j + 6); s7 += square(v, w, j + 7);
        }
        for (; j < n; j++) {
            s0 += square(v, w, j);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** v[j] = v[j]^2, returning v[j]^2 w[j] (C2 inlines it). */
    private static double square(double[] v, double[] w, int j) {
        double q = v[j] * v[j];
        v[j] = q;
        return q * w[j];
    }

    /** out = diag(r) g diag(c), row by row (a row of g is staged before out's row is written). */
    private static void write(INDArray g, Scaling rc, INDArray out) {
        Lane.sameLayout(g, out);
        Lane x = Lane.of(g);
        Lane o = Lane.of(out);
        double[] r = rc.r();
        double[] c = rc.c();
        int cols = c.length;
        Fused.forRows(r.length, cols, (from, to) -> {
            double[] row = Fused.row(cols);
            for (int i = from; i < to; i++) {
                x.load(i * cols, row, cols);
                for (int j = 0; j < cols; j++) {
                    row[j] *= r[i] * c[j];
                }
                o.store(i * cols, row, cols);
            }
        });
    }

    private static double[] squares(double[] v) {
        double[] v2 = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            v2[j] = v[j] * v[j];
        }
        return v2;
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
