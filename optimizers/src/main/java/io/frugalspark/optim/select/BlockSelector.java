package io.frugalspark.optim.select;

import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Block selection: each tensor of the group is a block; k = count(N) of them are active. Orders
 * walk a cursor over the group: ascending from 0, descending from N-1 (the last layers first),
 * mirror pairs i and N-1-i from both ends, random draws a fresh k-subset each time.
 */
public final class BlockSelector implements Selector {
    /** Which blocks a re-selection activates. */
    public enum Order {
        RANDOM, ASCENDING, DESCENDING, MIRROR;

        public static Order of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final Order order;
    private long cursor = -1; // set on first use: descending starts at N-1

    public BlockSelector(Order order) {
        this.order = order;
    }

    @Override
    public List<Subspace> select(List<ParamRef> group, Density density, SplittableRandom rng) {
        int n = group.size();
        boolean[] active = activate(n, density.blocks(n), rng);
        List<Subspace> out = new ArrayList<>(n);
        for (boolean a : active) {
            out.add(Block.of(a));
        }
        return out;
    }

    /**
     * A driver-chosen active set (importance selection) as the selection every replica injects: the
     * driver decides, the replicas' own orders and cursors stay out of it.
     */
    public static Selection selection(List<String> group, boolean[] active) {
        if (group.size() != active.length) {
            throw new IllegalArgumentException("active set of " + active.length + " blocks for a group of " + group.size());
        }
        Map<String, SubspaceRecord> out = new LinkedHashMap<>();
        for (int i = 0; i < active.length; i++) {
            out.put(group.get(i), Block.of(active[i]).record());
        }
        return new Selection(out);
    }

    @Override
    public List<Footprint> footprint(List<long[]> shapes, Density density, SplittableRandom rng) {
        int n = shapes.size();
        boolean[] active = new BlockSelector(order).activate(n, density.blocks(n), rng); // a fresh cursor: this one stays put
        List<Footprint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(active[i] ? Footprint.whole(shapes.get(i)) : Footprint.NONE);
        }
        return out;
    }

    /** The active flags of the next selection of k out of n blocks; advances the cursor. */
    public boolean[] activate(int n, int k, SplittableRandom rng) {
        boolean[] active = new boolean[n];
        if (cursor < 0) {
            cursor = order == Order.DESCENDING ? n - 1 : 0;
        }
        switch (order) {
            case RANDOM -> {
                for (int i : Permutation.firstK(n, k, rng)) active[i] = true;
            }
            case ASCENDING -> {
                for (int i = 0; i < k; i++) active[(int) ((cursor + i) % n)] = true;
                cursor = (cursor + k) % n;
            }
            case DESCENDING -> {
                for (int i = 0; i < k; i++) active[(int) Math.floorMod(cursor - i, n)] = true;
                cursor = Math.floorMod(cursor - k, n);
            }
            case MIRROR -> mirror(active, k);
        }
        return active;
    }

    private void mirror(boolean[] active, int k) {
        int n = active.length;
        int half = n / 2;
        if (k % 2 != 0) {
            throw new IllegalArgumentException("mirror block order needs an even number of active blocks, got " + k);
        }
        for (long i = cursor; i < cursor + k / 2; i++) {
            active[(int) (i % half)] = true;
            active[n - 1 - (int) (i % half)] = true;
        }
        cursor = (cursor + k / 2) % Math.max(1, half);
    }

    @Override
    public boolean outdated(List<Subspace> current, Density density) {
        long activeNow = current.stream().filter(s -> s == Block.ACTIVE).count();
        return density.updated() && density.blocks(current.size()) != activeNow;
    }

    @Override
    public long cursor() {
        return cursor;
    }

    @Override
    public void restoreCursor(long c) {
        cursor = c;
    }
}
