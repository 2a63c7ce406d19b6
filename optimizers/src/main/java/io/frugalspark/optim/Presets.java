package io.frugalspark.optim;

import io.frugalspark.optim.method.Compared;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.method.Method.Adaptive;
import io.frugalspark.optim.method.SelectorChoice.Blocks;
import io.frugalspark.optim.method.SelectorChoice.Coordinates;
import io.frugalspark.optim.method.SelectorChoice.Projections;
import io.frugalspark.optim.method.StateFree;
import io.frugalspark.optim.select.BlockSelector.Order;
import io.frugalspark.optim.select.ProjectionSelector.Side;
import io.frugalspark.optim.select.ProjectionSelector.Type;
import io.frugalspark.optim.state.CoordinateChoice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named methods with the papers' defaults (rho 0.25, T 200 unless stated), as {@link Method}
 * descriptors. The learning rate is the caller's (passed to every step); GaLore's usual base lr is
 * 0.01, SinkGD's 0.02.
 */
public final class Presets {
    private static final Map<String, Method> METHODS = new LinkedHashMap<>();

    static {
        Projections svd = new Projections(Type.SVD, Side.STD);
        add(m("adamw").partition(Partition.NONE));
        add(m("sgd").partition(Partition.ALL).rho(0).stateFree(StateFree.SGD));
        add(m("signsgd").partition(Partition.ALL).rho(0));
        add(m("frugal"));
        add(m("frugal-svd").selector(svd));
        add(m("frugal-columns").selector(new Coordinates(CoordinateChoice.COLUMNS)));
        add(m("frugal-rho0").rho(0));
        add(m("galore").selector(svd).stateFree(StateFree.NONE).resetStatistics(false).projLrScale(0.25));
        add(m("badam").selector(new Blocks(Order.ASCENDING)).stateFree(StateFree.NONE));
        add(m("sinkgd").rho(0).stateFree(StateFree.SINKGD).inactiveLrScale(0.05));
        add(m("swan").rho(0).stateFree(StateFree.SWAN));
        add(m("frugal-sinkgd").stateFree(StateFree.SINKGD));
        add(m("adafrugal").updateGap(100).adaptive(Adaptive.published()));
    }

    private Presets() {
    }

    private static Method.Builder m(String name) {
        return Method.builder(name);
    }

    private static void add(Method.Builder b) {
        Method m = b.build();
        METHODS.put(m.name(), m);
    }

    public static List<String> names() {
        return List.copyOf(METHODS.keySet());
    }

    /** The descriptor of a named method. */
    public static Method method(String name) {
        Method m = METHODS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown optimizer preset '" + name + "' (" + String.join(", ", names()) + ")");
        }
        return m;
    }

    /**
     * A fresh optimizer; {@code rho} and {@code updateGap} override the preset's when not null
     * (adafrugal's are the starting values its driver-side controllers change).
     */
    public static Frugal create(String name, double weightDecay, long seed, Double rho, Integer updateGap) {
        Method.Builder b = method(name).toBuilder();
        if (rho != null) {
            b.rho(rho);
        }
        if (updateGap != null) {
            b.updateGap(updateGap);
        }
        return b.build().create(weightDecay, seed);
    }

    /** The methods the papers compare, with the learning rates `bench methods` sweeps for each. */
    public static List<Compared> comparison() {
        double[] usual = {1e-3, 3e-3, 1e-2};
        return List.of(
                new Compared("AdamW", method("adamw"), false, usual),
                new Compared("FRUGAL rho 0.25", method("frugal"), false, usual),
                new Compared("FRUGAL rho 0", method("frugal-rho0"), false, usual),
                new Compared("GaLore", method("galore"), false, new double[] {3e-3, 1e-2, 3e-2}),
                new Compared("BAdam", method("badam"), false, usual),
                new Compared("signSGD", method("signsgd"), false, new double[] {1e-4, 3e-4, 1e-3}),
                new Compared("SinkGD", method("sinkgd"), false, usual),
                new Compared("AdaFRUGAL", method("adafrugal"), false, usual),
                new Compared("AdaFRUGAL (statistics)", method("adafrugal").toBuilder().adaptive(Adaptive.statistics()).build(),
                        false, usual),
                new Compared("SLTrain (AdamW)", method("adamw"), true, usual));
    }
}
