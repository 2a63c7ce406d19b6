package io.frugalspark.dl4j;

import io.frugalspark.optim.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Puts a FRUGAL-family method on every parameter of a DL4J {@link ComputationGraphConfiguration}: one
 * {@link FrugalUpdater} per tensor (weights through the layer's updater, biases through its bias
 * updater), and decoupled weight decay on every tensor as DL4J's {@code WeightDecay(wd, applyLR=true)}.
 * Layers with more than one weight tensor (LSTM's W and RW) share a layer updater and are rejected.
 */
public final class FrugalGraphs {
    private FrugalGraphs() {
    }

    /** Configures {@code conf} in place with the default roles and returns it. */
    public static ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, FrugalSpec spec, double lr, double weightDecay) {
        return configure(conf, spec, lr, weightDecay, ParamRoles.defaults());
    }

    public static ComputationGraphConfiguration configure(ComputationGraphConfiguration conf, FrugalSpec spec, double lr, double weightDecay,
                                                          ParamRoles roles) {
        List<Tensor> tensors = tensors(conf, roles, spec.projects());
        long[][] group = tensors.stream().filter(Tensor::projectable).map(Tensor::shape).toArray(long[][]::new);
        List<Regularization> decay = weightDecay == 0 ? List.of() : List.of(new WeightDecay(weightDecay, true));
        int groupIndex = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            FrugalUpdater u = new FrugalUpdater(spec, lr, t.role(), i, t.projectable() ? groupIndex++ : -1, t.shape(), group);
            if (t.bias()) {
                t.layer().setBiasUpdater(u);
                t.layer().setRegularizationBias(new ArrayList<>(decay));
            } else {
                t.layer().setIUpdater(u);
                t.layer().setRegularization(new ArrayList<>(decay));
            }
        }
        return conf;
    }

    /** The optimizers module's layout of a DL4J parameter: [out, in] for [nIn, nOut] weights, [n] otherwise. */
    public static long[] internalShape(INDArray dl4jParam) {
        long[] s = dl4jParam.shape();
        return s.length == 2 && s[0] > 1 && s[1] > 1 ? new long[] {s[1], s[0]} : new long[] {dl4jParam.length()};
    }

    /** Bytes of optimizer state DL4J holds for {@code graph}: its updater state view (fp32). */
    public static long stateBytes(ComputationGraph graph) {
        INDArray view = graph.getUpdater().getStateViewArray();
        return view == null ? 0 : view.length() * view.dataType().width();
    }

    private record Tensor(BaseLayer layer, boolean bias, Role role, long[] shape, boolean projectable) {
    }

    /** Every trainable tensor in the order of DL4J's flattened parameters, read off a throwaway graph. */
    private static List<Tensor> tensors(ComputationGraphConfiguration conf, ParamRoles roles, boolean projects) {
        ComputationGraph probe = new ComputationGraph(conf.clone());
        probe.init();
        List<Tensor> out = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : probe.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            BaseLayer layer = (BaseLayer) ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
            ParamInitializer init = layer.initializer();
            int weights = 0;
            for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
                boolean bias = init.isBiasParam(layer, p.getKey());
                if (!bias && ++weights > 1) {
                    throw new IllegalArgumentException("layer '" + name + "' has several weight tensors; FRUGAL updaters need one per layer");
                }
                Role role = roles.role(layer, p.getKey(), bias);
                long[] shape = internalShape(p.getValue());
                out.add(new Tensor(layer, bias, role, shape, projects && role.projectable()));
            }
        }
        return out;
    }
}
