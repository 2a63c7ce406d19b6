package io.frugalspark.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Partition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The DL4J updaters against the optimizers module applied directly to the same network's gradients:
 * same parameters after every step, within float32 rounding. Several steps with T = 2 cover
 * re-selection, state kept in DL4J's view between calls, and decay folded into DL4J's update.
 */
class UpdaterEquivalenceTest {
    private static final int VOCAB = 20;
    private static final int SEQ = 6;
    private static final double LR = 0.01;
    private static final double WD = 0.1;
    private static final int STEPS = 5;

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("adamw", FrugalSpec.adamw()),
                Arguments.of("block", FrugalSpec.frugal().rho(0.5).updateGap(2).seed(7)),
                Arguments.of("block-random", FrugalSpec.frugal().selector("block-random").rho(0.5).updateGap(2).seed(7)),
                Arguments.of("columns", FrugalSpec.columns().rho(0.5).updateGap(2).seed(7)),
                Arguments.of("rows-sgd", FrugalSpec.columns().selector("rows").stateFree("sgd").rho(0.5).updateGap(2).seed(7)),
                Arguments.of("block-sgd", FrugalSpec.frugal().stateFree("sgd").rho(0.5).updateGap(2).seed(7)),
                Arguments.of("random-projection", FrugalSpec.projection("random").rho(0.5).updateGap(2).seed(7)),
                Arguments.of("svd", FrugalSpec.projection("svd").rho(0.5).updateGap(2).seed(7)),
                Arguments.of("sinkgd", FrugalSpec.sinkgd()),
                Arguments.of("frugal-sinkgd", FrugalSpec.frugal().stateFree("sinkgd").rho(0.5).updateGap(3)),
                Arguments.of("adafrugal", FrugalSpec.frugal().rho(1.0).adaptive(0.0, 4).updateGap(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void dl4jStepsMatchTheOptimizersModule(String name, FrugalSpec spec) {
        ComputationGraphConfiguration conf = FrugalGraphs.configure(TinyLm.conf(VOCAB, 42), spec, LR, WD);
        ComputationGraph dl4j = new ComputationGraph(conf.clone());
        dl4j.init();
        ComputationGraph probe = new ComputationGraph(conf.clone());
        probe.init();
        Frugal direct = spec.optimizer(spec.projects() ? Partition.PROJECTABLE : Partition.NONE).weightDecay(WD).build();
        Map<String, INDArray> params = internal(dl4j.paramTable());
        double worst = 0;
        for (int t = 0; t < STEPS; t++) {
            DataSet batch = TinyLm.randomBatch(VOCAB, 4, SEQ, t);
            if (spec.adaptive()) {
                direct.setDensity(spec.density(t).rho()); // the AdaFRUGAL driver's controller
            }
            direct.step(refs(dl4j, params, gradients(probe, params, batch)), LR);
            dl4j.fit(batch);
            worst = Math.max(worst, maxDiff(internal(dl4j.paramTable()), params));
        }
        assertTrue(worst < 1e-6, name + ": DL4J and the optimizers module differ by " + worst);
        assertEquals(STEPS, dl4j.getConfiguration().getIterationCount());
    }

    /**
     * Gradients of {@code probe} at {@code params} (internal layout), in DL4J's layout and key order,
     * divided by the minibatch size as DL4J's updater divides them before calling the updaters.
     */
    private static Map<String, INDArray> gradients(ComputationGraph probe, Map<String, INDArray> params, DataSet batch) {
        params.forEach((k, v) -> probe.getParam(k).assign(v.rank() == 2 ? v.transpose() : v.reshape(probe.getParam(k).shape())));
        probe.setInput(0, batch.getFeatures());
        probe.setLabel(0, batch.getLabels());
        probe.computeGradientAndScore();
        Map<String, INDArray> out = new LinkedHashMap<>();
        probe.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.div(batch.numExamples())));
        return out;
    }

    private static List<ParamRef> refs(ComputationGraph dl4j, Map<String, INDArray> params, Map<String, INDArray> grads) {
        List<ParamRef> refs = new ArrayList<>();
        for (String key : params.keySet()) {
            String layer = key.substring(0, key.lastIndexOf('_'));
            FrugalUpdater u = (FrugalUpdater) ((BaseLayer) dl4j.getLayer(layer).conf().getLayer()).getUpdaterByParam(key.substring(layer.length() + 1));
            refs.add(new ParamRef(key, u.getRole(), params.get(key), internal(grads.get(key))));
        }
        return refs;
    }

    private static Map<String, INDArray> internal(Map<String, INDArray> dl4jTable) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        dl4jTable.forEach((k, v) -> out.put(k, internal(v)));
        return out;
    }

    /** [nIn, nOut] weights as [out, in]; biases as vectors. */
    private static INDArray internal(INDArray dl4j) {
        long[] shape = FrugalGraphs.internalShape(dl4j);
        return shape.length == 2 ? dl4j.transpose().dup('c') : dl4j.dup('c').reshape(shape);
    }

    private static double maxDiff(Map<String, INDArray> a, Map<String, INDArray> b) {
        double worst = 0;
        for (String k : a.keySet()) {
            worst = Math.max(worst, a.get(k).sub(b.get(k)).amaxNumber().doubleValue());
        }
        return worst;
    }
}
