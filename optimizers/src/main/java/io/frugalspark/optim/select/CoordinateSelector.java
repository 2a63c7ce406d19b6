package io.frugalspark.optim.select;

import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Coordinates;
import io.frugalspark.optim.subspace.Coordinates.Choice;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random coordinate subsets: k = int(len * rho) columns, rows or flat entries, the first k of a
 * seeded permutation. Vectors stay wholly state-full; k = 0 leaves a tensor to the state-free rule.
 */
public final class CoordinateSelector implements Selector {
    private final Choice choice;

    public CoordinateSelector(Choice choice) {
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

    private Subspace draw(long[] shape, Density density, SplittableRandom rng) {
        long len = switch (choice) {
            case COLUMNS -> shape[1];
            case ROWS -> shape[0];
            case RANDK -> shape[0] * shape[1];
        };
        int k = density.coordinates(len);
        return k == 0 ? Block.INACTIVE : new Coordinates(choice, Permutation.firstK((int) len, k, rng));
    }
}
