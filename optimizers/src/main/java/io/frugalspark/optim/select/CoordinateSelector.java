package io.frugalspark.optim.select;

import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Coordinates;
import io.frugalspark.optim.state.CoordinateChoice;
import io.frugalspark.optim.state.HostArray;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random coordinate subsets: k = int(len * rho) columns, rows or flat entries, the first k of a
 * seeded permutation. Vectors stay wholly state-full; k = 0 leaves a tensor to the state-free rule.
 */
public final class CoordinateSelector implements Selector {
    private final CoordinateChoice choice;

    public CoordinateSelector(CoordinateChoice choice) {
        this.choice = choice;
    }

    @Override
    public List<Subspace> select(List<ParamRef> group, Density density, SplittableRandom rng) {
        List<Subspace> out = new ArrayList<>(group.size());
        for (ParamRef p : group) {
            out.add(p.matrix() ? draw(p.param().shape(), density, rng) : Block.ACTIVE);
        }
        return out;
    }

    @Override
    public List<Footprint> footprint(List<long[]> shapes, Density density, SplittableRandom rng) {
        List<Footprint> out = new ArrayList<>(shapes.size());
        for (long[] shape : shapes) {
            int k = shape.length == 2 ? count(shape, density) : -1;
            out.add(k < 0 ? Footprint.whole(shape) : k == 0 ? Footprint.NONE
                    : new Footprint(HostArray.numel(Coordinates.lowShape(choice, k, shape)), 0, k));
        }
        return out;
    }

    private Subspace draw(long[] shape, Density density, SplittableRandom rng) {
        int k = count(shape, density);
        return k == 0 ? Block.INACTIVE : new Coordinates(choice, Permutation.firstK((int) length(shape), k, rng));
    }

    private int count(long[] shape, Density density) {
        return density.coordinates(length(shape));
    }

    private long length(long[] shape) {
        return switch (choice) {
            case COLUMNS -> shape[1];
            case ROWS -> shape[0];
            case RANDK -> shape[0] * shape[1];
        };
    }
}
