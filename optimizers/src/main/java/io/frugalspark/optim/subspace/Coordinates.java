package io.frugalspark.optim.subspace;

import io.frugalspark.optim.OptimizerState;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A coordinate subset of W (m x n), kept in the drawn (unsorted) order: whole columns, whole rows,
 * or k flat entries (row = i / n, col = i % n). The moments are m x k, k x n, or a k-vector; the
 * residual is g with the selected entries set to exactly 0.
 */
public record Coordinates(Choice choice, int[] indices) implements Projector {

    /** Which coordinates a subset is made of. */
    public enum Choice {
        COLUMNS, ROWS, RANDK;

        public static Choice of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        String key() {
            return "/" + name().toLowerCase(Locale.ROOT);
        }
    }

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
        return switch (choice) {
            case COLUMNS -> new long[] {shape[0], indices.length};
            case ROWS -> new long[] {indices.length, shape[1]};
            case RANDK -> new long[] {indices.length};
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
    public void save(String name, OptimizerState state) {
        long[] idx = new long[indices.length];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = indices[j];
        }
        state.putSelection(name + choice.key(), Nd4j.createFromArray(idx));
    }

    static Coordinates load(String name, OptimizerState state) {
        for (Choice c : Choice.values()) {
            INDArray idx = state.selections().get(name + c.key());
            if (idx != null) {
                return new Coordinates(c, idx.toIntVector());
            }
        }
        throw new IllegalArgumentException("optimizer state has no selection for '" + name + "'");
    }
}
