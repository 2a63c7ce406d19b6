package io.frugalspark.optim.method;

import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.CoordinateSelector;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.ProjectionSelector.Side;
import io.frugalspark.optim.select.ProjectionSelector.Type;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.state.CoordinateChoice;
import java.util.Locale;

/**
 * How the state-full subspace is chosen, as a value: the vocabulary that presets, the DL4J updater's
 * configuration and the conformance replay share. Names: {@code block-<order>} (random, ascending,
 * descending, mirror), {@code columns}, {@code rows}, {@code randk}, and {@code svd}, {@code random},
 * {@code randperm} with a projection side.
 */
public sealed interface SelectorChoice {
    String NAMES = "block-random, block-ascending, block-descending, block-mirror, columns, rows, randk, svd, random, randperm";

    /** A fresh selector (selectors keep state, so every optimizer gets its own). */
    Selector create();

    /** Whether a re-selection reads the gradient (svd), so the driver must build it from averaged gradients. */
    default boolean needsGradients() {
        return false;
    }

    /** The vocabulary name. */
    String key();

    /** Each tensor is a block; k = count(N) of them are state-full. */
    record Blocks(BlockSelector.Order order) implements SelectorChoice {
        @Override
        public Selector create() {
            return new BlockSelector(order);
        }

        @Override
        public String key() {
            return "block-" + order.name().toLowerCase(Locale.ROOT);
        }
    }

    /** Random coordinate subsets of each matrix. */
    record Coordinates(CoordinateChoice choice) implements SelectorChoice {
        @Override
        public Selector create() {
            return new CoordinateSelector(choice);
        }

        @Override
        public String key() {
            return choice.key();
        }
    }

    /** GaLore-style projections on a side of each matrix. */
    record Projections(Type type, Side side) implements SelectorChoice {
        @Override
        public Selector create() {
            return new ProjectionSelector(type, side);
        }

        @Override
        public boolean needsGradients() {
            return type == Type.SVD;
        }

        @Override
        public String key() {
            return type.name().toLowerCase(Locale.ROOT);
        }
    }

    /** A selector by name; {@code side} (std, reverse_std, left, right, full) matters for projections only. */
    static SelectorChoice of(String name, String side) {
        String n = name.toLowerCase(Locale.ROOT);
        try {
            if (n.startsWith("block-")) {
                return new Blocks(BlockSelector.Order.of(n.substring("block-".length())));
            }
            return switch (n) {
                case "columns", "rows", "randk" -> new Coordinates(CoordinateChoice.of(n));
                case "svd", "random", "randperm" -> new Projections(Type.of(n), Side.of(side));
                default -> throw new IllegalArgumentException(n);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown selector '" + name + "' or side '" + side + "' (" + NAMES
                    + "; sides std, reverse_std, left, right, full)");
        }
    }
}
