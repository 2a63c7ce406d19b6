package io.frugalspark.optim;

import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.rule.NoUpdate;
import io.frugalspark.optim.rule.Sgd;
import io.frugalspark.optim.rule.SignSgd;
import io.frugalspark.optim.rule.SinkGd;
import io.frugalspark.optim.rule.Swan;
import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.BlockSelector.Order;
import io.frugalspark.optim.select.CoordinateSelector;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.select.ProjectionSelector.Side;
import io.frugalspark.optim.select.ProjectionSelector.Type;
import io.frugalspark.optim.subspace.Coordinates.Choice;
import java.util.List;
import java.util.function.Supplier;

/**
 * The named methods with the papers' defaults (rho 0.25, T 200 unless stated). The learning rate
 * is the caller's (passed to every step); GaLore's usual base lr is 0.01, SinkGD's 0.02.
 */
public final class Presets {
    private Presets() {
    }

    public static List<String> names() {
        return List.of("adamw", "sgd", "signsgd", "frugal", "frugal-svd", "frugal-columns", "frugal-rho0", "galore",
                "badam", "sinkgd", "swan", "frugal-sinkgd", "adafrugal");
    }

    /**
     * A fresh optimizer; {@code rho} and {@code updateGap} override the preset's when not null
     * (adafrugal's are the starting values its driver-side controllers change).
     */
    public static Frugal create(String name, double weightDecay, long seed, Double rho, Integer updateGap) {
        return builder(name, weightDecay, seed, rho, updateGap).build();
    }

    /** {@link #create}'s builder, for callers that override more of the preset (group lr scales, say). */
    public static Frugal.Builder builder(String name, double weightDecay, long seed, Double rho, Integer updateGap) {
        Frugal.Builder b = base(name).weightDecay(weightDecay).seed(seed);
        if (rho != null) {
            b.density(rho);
        }
        if (updateGap != null) {
            b.updateGap(updateGap);
        }
        return b;
    }

    private static Frugal.Builder base(String name) {
        Frugal.Builder b = Frugal.builder().statefull(Adam.defaults()).density(0.25).updateGap(200);
        Supplier<Selector> descending = () -> new BlockSelector(Order.DESCENDING);
        return switch (name) {
            case "adamw" -> b.partition(Partition.NONE);
            case "sgd" -> b.partition(Partition.ALL).selector(descending).density(0).statefree(new Sgd());
            case "signsgd" -> b.partition(Partition.ALL).selector(descending).density(0).statefree(new SignSgd());
            case "frugal" -> b.selector(descending);
            case "frugal-svd" -> b.selector(() -> new ProjectionSelector(Type.SVD, Side.STD));
            case "frugal-columns" -> b.selector(() -> new CoordinateSelector(Choice.COLUMNS));
            case "frugal-rho0" -> b.selector(descending).density(0);
            case "galore" -> b.selector(() -> new ProjectionSelector(Type.SVD, Side.STD)).statefree(new NoUpdate())
                    .resetStatistics(false).projLrScale(0.25);
            case "badam" -> b.selector(() -> new BlockSelector(Order.ASCENDING)).statefree(new NoUpdate());
            case "sinkgd" -> b.selector(descending).density(0).statefree(SinkGd.defaults()).inactiveLrScale(0.05);
            case "swan" -> b.selector(descending).density(0).statefree(Swan.defaults());
            case "frugal-sinkgd" -> b.selector(descending).statefree(SinkGd.defaults());
            case "adafrugal" -> b.selector(descending).updateGap(100);
            default -> throw new IllegalArgumentException("unknown optimizer preset '" + name + "' (" + String.join(", ", names()) + ")");
        };
    }
}
