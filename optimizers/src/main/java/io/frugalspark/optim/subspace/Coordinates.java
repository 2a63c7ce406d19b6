package io.frugalspark.optim.subspace;

import io.frugalspark.optim.state.CoordinateChoice;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.state.SubspaceRecord.CoordinateSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A coordinate subset of W (m x n), kept in the drawn (unsorted) order: whole columns, whole rows,
 * or k flat entries (row = i / n, col = i % n). The moments are m x k, k x n, or a k-vector; the
 * residual is g with the selected entries set to exactly 0.
 */
public record Coordinates(CoordinateChoice choice, int[] indices) implements Projector {

    @Override
    public INDArray down(INDArray g) {
        return switch (choice) {
            case COLUMNS -> g.getColumns(indices);
            case ROWS -> g.getRows(indices);
            case RANDK -> gather(g);
        };
    }

    @Override
    public long[] lowShape(long[] shape) {
        return lowShape(choice, indices.length, shape);
    }

    /** The moments' shape for k coordinates of {@code choice} in a matrix of {@code shape}. */
    public static long[] lowShape(CoordinateChoice choice, long k, long[] shape) {
        return switch (choice) {
            case COLUMNS -> new long[] {shape[0], k};
            case ROWS -> new long[] {k, shape[1]};
            case RANDK -> new long[] {k};
        };
    }

    @Override
    public INDArray up(INDArray low, long[] shape) {
        INDArray out = Nd4j.zeros(low.dataType(), shape);
        put(out, low);
        return out;
    }

    @Override
    public INDArray residual(INDArray g, INDArray low) {
        INDArray r = g.dup('c');
        put(r, null);
        return r;
    }

    /** Writes {@code low} (or zeros when null) into the selected coordinates of {@code out}. */
    private void put(INDArray out, INDArray low) {
        for (int j = 0; j < indices.length; j++) {
            switch (choice) {
                case COLUMNS -> assign(out.getColumn(indices[j]), low == null ? null : low.getColumn(j));
                case ROWS -> assign(out.getRow(indices[j]), low == null ? null : low.getRow(j));
                case RANDK -> flat(out).putScalar(indices[j], low == null ? 0 : low.getDouble(j));
            }
        }
    }

    private static void assign(INDArray view, INDArray values) {
        if (values == null) {
            view.assign(0.0); // assign(scalar array) only reaches a strided view's first element
        } else {
            view.assign(values);
        }
    }

    private INDArray gather(INDArray g) {
        INDArray f = flat(g);
        INDArray low = Nd4j.create(g.dataType(), indices.length);
        for (int j = 0; j < indices.length; j++) {
            low.putScalar(j, f.getDouble(indices[j]));
        }
        return low;
    }

    private static INDArray flat(INDArray a) {
        return a.reshape('c', new long[] {a.length()});
    }

    @Override
    public long bytes() {
        return 4L * indices.length;
    }

    @Override
    public SubspaceRecord record() {
        return new CoordinateSet(choice, indices);
    }
}
