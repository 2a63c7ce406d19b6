package io.frugalspark.optim.select;

import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Projection;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GaLore-style projections recomputed from the current gradient at each re-selection. Vectors
 * (SLTrain values) are never projected: they stay wholly state-full.
 */
public final class ProjectionSelector implements Selector {

    /** How the basis is built. */
    public enum Type {
        SVD, RANDOM, RANDPERM;

        public static Type of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Which side of W (m x n) is projected. */
    public enum Side {
        STD, REVERSE_STD, LEFT, RIGHT, FULL;

        public static Side of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        /** The concrete side for an m x n matrix: LEFT, RIGHT or FULL. */
        public Side resolve(long m, long n) {
            return switch (this) {
                case STD -> m >= n ? RIGHT : LEFT;
                case REVERSE_STD -> m < n ? RIGHT : LEFT;
                default -> this;
            };
        }
    }

    private final Type type;
    private final Side side;

    public ProjectionSelector(Type type, Side side) {
        this.type = type;
        this.side = side;
    }

    @Override
    public List<Subspace> select(List<ParamRef> group, Density density, SplittableRandom rng) {
        List<Subspace> out = new ArrayList<>(group.size());
        for (ParamRef p : group) {
            out.add(p.matrix() ? project(p.grad(), density, rng) : Block.ACTIVE);
        }
        return out;
    }

    @Override
    public List<Footprint> footprint(List<long[]> shapes, Density density, SplittableRandom rng) {
        List<Footprint> out = new ArrayList<>(shapes.size());
        for (long[] shape : shapes) {
            out.add(shape.length == 2 ? footprint(shape[0], shape[1], density) : Footprint.whole(shape));
        }
        return out;
    }

    private Footprint footprint(long m, long n, Density density) {
        Side s = side.resolve(m, n);
        int r = rank(m, n, s, density);
        if (r == 0) {
            return Footprint.NONE;
        }
        boolean left = s != Side.RIGHT;
        boolean right = s != Side.LEFT;
        return new Footprint((left ? r : m) * (right ? r : n), (left ? m * r : 0) + (right ? r * n : 0), 0);
    }

    /** The subspace of one gradient; rank 0 leaves the whole tensor to the state-free rule. */
    public Subspace project(INDArray g, Density density, SplittableRandom rng) {
        long m = g.size(0);
        long n = g.size(1);
        Side s = side.resolve(m, n);
        int r = rank(m, n, s, density);
        if (r == 0) {
            return Block.INACTIVE;
        }
        DataType t = g.dataType();
        return switch (type) {
            case SVD -> fromSvd(g, s, r);
            case RANDOM -> new Projection(
                    s == Side.RIGHT ? null : Bases.randomRows(r, m, t, rng).transpose().dup('c'),
                    s == Side.LEFT ? null : Bases.randomRows(r, n, t, rng));
            case RANDPERM -> new Projection(
                    s == Side.RIGHT ? null : Bases.permutationColumns((int) m, r, t, rng),
                    s == Side.LEFT ? null : Bases.permutationRows(r, (int) n, t, rng));
        };
    }

    /** The basis rank on resolved side {@code s}: rho of the projected dimension (the smaller one for both sides). */
    private static int rank(long m, long n, Side s, Density density) {
        return density.rank(s == Side.RIGHT ? n : s == Side.LEFT ? m : Math.min(m, n));
    }

    /** Whether bases come from the gradient (svd) rather than from the seed. */
    public boolean fromGradients() {
        return type == Type.SVD;
    }

    private static Projection fromSvd(INDArray g, Side s, int r) {
        DataType t = g.dataType();
        return new Projection(
                s == Side.RIGHT ? null : Bases.leftSingular(g, r, t),
                s == Side.LEFT ? null : Bases.leftSingular(g.transpose(), r, t).transpose().dup('c'));
    }
}
