package io.frugalspark.optim.select;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Orthonormal bases for projections: from an fp32 SVD, random semi-orthogonal, or permutation. */
final class Bases {
    private Bases() {
    }

    /**
     * The first r left singular vectors of g (m x r) from an fp32 LAPACK gesvd that computes U only
     * (ND4J's svd op fails in M2.1; skipping V^T makes it several times faster). Right bases come
     * from g^T: its left singular vectors are g's right ones.
     */
    static INDArray leftSingular(INDArray g, int r, DataType type) {
        long m = g.size(0);
        INDArray a = g.castTo(DataType.FLOAT).dup('f');
        INDArray s = Nd4j.create(DataType.FLOAT, new long[] {Math.min(m, g.size(1))}, 'f');
        INDArray u = Nd4j.create(DataType.FLOAT, new long[] {m, m}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(a, s, u, null);
        INDArray out = u.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r)).castTo(type).dup('c');
        a.close();
        s.close();
        u.close();
        return out;
    }

    /** r orthonormal vectors of length len (Gram-Schmidt on Gaussians), as rows (r x len). */
    static INDArray randomRows(int r, long len, DataType type, SplittableRandom rng) {
        double[][] q = new double[r][(int) len];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < len; j++) {
                q[i][j] = gaussian(rng);
            }
            for (int p = 0; p < i; p++) {
                double d = dot(q[i], q[p]);
                for (int j = 0; j < len; j++) {
                    q[i][j] -= d * q[p][j];
                }
            }
            double norm = Math.sqrt(dot(q[i], q[i]));
            for (int j = 0; j < len; j++) {
                q[i][j] /= norm;
            }
        }
        return Nd4j.createFromArray(q).castTo(type);
    }

    /** B (r x n) keeping columns perm[0..r). */
    static INDArray permutationRows(int r, int n, DataType type, SplittableRandom rng) {
        int[] perm = Permutation.draw(n, rng);
        INDArray b = Nd4j.zeros(type, r, n);
        for (int i = 0; i < r; i++) {
            b.putScalar(i, perm[i], 1.0);
        }
        return b;
    }

    /** A (m x r) selecting row j where perm[j] < r. */
    static INDArray permutationColumns(int m, int r, DataType type, SplittableRandom rng) {
        int[] perm = Permutation.draw(m, rng);
        INDArray a = Nd4j.zeros(type, m, r);
        for (int j = 0; j < m; j++) {
            if (perm[j] < r) {
                a.putScalar(j, perm[j], 1.0);
            }
        }
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
