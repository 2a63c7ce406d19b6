package io.frugalspark.optim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.ParamRef;
import io.frugalspark.optim.Role;
import io.frugalspark.optim.TensorState;
import io.frugalspark.optim.rule.Adam;
import io.frugalspark.optim.method.SelectorChoice;
import io.frugalspark.optim.method.StateFree;
import io.frugalspark.optim.rule.SgdMomentum;
import io.frugalspark.optim.rule.StatefulRule;
import io.frugalspark.optim.rule.StatelessRule;
import io.frugalspark.optim.schedule.CyclicCosine;
import io.frugalspark.optim.select.BlockSelector;
import io.frugalspark.optim.select.ProjectionSelector;
import io.frugalspark.optim.select.Selector;
import io.frugalspark.optim.state.CoordinateChoice;
import io.frugalspark.optim.state.Selection;
import io.frugalspark.optim.state.SubspaceRecord;
import io.frugalspark.optim.subspace.Block;
import io.frugalspark.optim.subspace.Coordinates;
import io.frugalspark.optim.subspace.Projection;
import io.frugalspark.optim.subspace.Subspace;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Replays one recorded reference run: injects the recorded random draws (permutations, bases,
 * random block sets), lets deterministic block orders choose for themselves, and compares the
 * selection in force, parameters and state after every step. For svd it also measures its own
 * basis's projector against the recorded fp32 one.
 */
final class ScenarioReplay {
    static final double TOL = 1e-12;
    static final double TOL_FULL_SIDE = 2e-11;
    static final double TOL_SVD = 1e-5;
    /** float32 runs (section 13 only records float64): single-precision rounding, not the rules, differs. */
    static final double TOL_FLOAT32 = 1e-5;

    /** How one scenario went. */
    record Outcome(String name, int steps, double maxError, double tolerance, double svdError, String failure) {
        boolean passed() {
            return failure == null;
        }
    }

    private final JsonNode scenario;
    private final String name;
    private final Fields f;
    private final DataType type;
    private final JsonNode kwargs;
    private final String cls;
    private double maxError;
    private double svdError;
    private String failure;

    ScenarioReplay(JsonNode scenario, int index) {
        this.scenario = scenario;
        this.name = scenario.has("name") ? scenario.get("name").asText() : "#" + index;
        this.f = new Fields(name);
        this.cls = f.text(scenario, "optimizer_class", "");
        if (!cls.matches("(Galore|Coord|Block)(AdamW|SGD)")) {
            throw f.error("optimizer_class", "unknown optimizer class '" + cls + "' in field");
        }
        this.kwargs = f.get(scenario, "kwargs", "");
        String dtype = f.text(scenario, "dtype", "");
        this.type = switch (dtype) {
            case "float64" -> DataType.DOUBLE;
            case "float32" -> DataType.FLOAT;
            default -> throw f.error("dtype", "unsupported dtype '" + dtype + "' in field");
        };
    }

    Outcome run() {
        Frugal opt = build();
        Map<String, ParamRef> params = params();
        List<ParamRef> order = new ArrayList<>(params.values());
        JsonNode steps = f.get(scenario, "steps", "");
        boolean fullSide = cls.startsWith("Galore") && "full".equals(kwargs.path("proj_side").asText());
        double tol = type == DataType.FLOAT ? TOL_FLOAT32 : fullSide ? TOL_FULL_SIDE : TOL;
        for (int i = 0; i < steps.size() && failure == null; i++) {
            replayStep(opt, params, order, steps.get(i), "steps[" + i + "]", tol);
        }
        opt.close();
        return new Outcome(name, steps.size(), maxError, tol, svdError, failure);
    }

    private void replayStep(Frugal opt, Map<String, ParamRef> params, List<ParamRef> order, JsonNode step, String at, double tol) {
        JsonNode grads = f.get(step, "grads", at);
        for (ParamRef p : order) {
            p.grad().assign(f.array(grads, p.name(), at + ".grads", type));
        }
        double lr = f.number(step, "lr_used", at);
        checkSchedule(step, lr, at);
        Map<String, Subspace> recorded = recordedSelection(step, params, at);
        if (opt.reselectsNext()) {
            if (!cls.startsWith("Block") || "random".equals(blockOrder())) {
                opt.inject(selection(recorded));
            }
            measureOwnSvd(opt, params, recorded);
        }
        opt.step(order, f.number(step, "lr_used_regular", at), lr);
        for (Map.Entry<String, Subspace> e : recorded.entrySet()) {
            expectSameSelection(at + ".selection." + e.getKey(), e.getValue(), opt.subspace(e.getKey()));
        }
        JsonNode after = f.get(step, "params_after", at);
        for (ParamRef p : order) {
            compare(at + ".params_after." + p.name(), f.array(after, p.name(), at + ".params_after", type), p.param(), tol);
        }
        compareState(opt, f.get(step, "state_after", at), at + ".state_after", tol);
    }

    private Frugal build() {
        return Frugal.builder()
                .statefull(statefullRule())
                .statefree(statelessRule())
                .selector(this::selector)
                .weightDecay(kwargs.path("weight_decay").asDouble(0))
                .projLrScale(kwargs.path("proj_params_lr_scale").asDouble(1.0))
                .inactiveLrScale(kwargs.path("inactive_lr_scale").asDouble(1.0))
                .resetStatistics(kwargs.path("reset_statistics").asBoolean(true))
                .density(f.number(kwargs, "density", "kwargs"))
                .updateGap((int) f.number(kwargs, "update_gap", "kwargs"))
                .build();
    }

    private StatefulRule statefullRule() {
        if (cls.endsWith("AdamW")) {
            JsonNode betas = kwargs.path("betas");
            return new Adam(betas.path(0).asDouble(0.9), betas.path(1).asDouble(0.999), kwargs.path("eps").asDouble(1e-8));
        }
        if (cls.endsWith("SGD")) {
            // the reference starts the buffer at a copy of its example tensor: replay that bug
            return new SgdMomentum(f.number(kwargs, "momentum", "kwargs"), kwargs.path("dampening").asDouble(0), true);
        }
        throw f.error("optimizer_class", "unknown optimizer class '" + cls + "' in field");
    }

    private StatelessRule statelessRule() {
        String rule = kwargs.path("inactive_update_rule").asText("sign_sgd");
        try {
            return StateFree.of(rule).create();
        } catch (IllegalArgumentException e) {
            throw f.error("kwargs.inactive_update_rule", "unknown rule '" + rule + "' in field");
        }
    }

    /** The reference's optimizer class and kwargs in the selectors' shared vocabulary. */
    private Selector selector() {
        SelectorChoice choice;
        try {
            if (cls.startsWith("Galore")) {
                choice = new SelectorChoice.Projections(ProjectionSelector.Type.of(f.text(kwargs, "proj_type", "kwargs")),
                        ProjectionSelector.Side.of(kwargs.path("proj_side").asText("std")));
            } else if (cls.startsWith("Coord")) {
                choice = new SelectorChoice.Coordinates(CoordinateChoice.of(f.text(kwargs, "coord_choice", "kwargs")));
            } else if (cls.startsWith("Block")) {
                choice = new SelectorChoice.Blocks(BlockSelector.Order.of(blockOrder()));
            } else {
                throw f.error("optimizer_class", "unknown optimizer class '" + cls + "' in field");
            }
        } catch (IllegalArgumentException e) {
            throw f.error("kwargs", "unknown selector option (" + e.getMessage() + ") in field");
        }
        return choice.create();
    }

    private static Selection selection(Map<String, Subspace> recorded) {
        Map<String, SubspaceRecord> out = new LinkedHashMap<>();
        recorded.forEach((name, s) -> out.put(name, s.record()));
        return new Selection(out);
    }

    private String blockOrder() {
        return f.text(kwargs, "block_order", "kwargs");
    }

    /** Parameters in group order; the projectable group plays the MLP role, the rest 'other'. */
    private Map<String, ParamRef> params() {
        JsonNode init = f.get(scenario, "init", "");
        Map<String, ParamRef> out = new LinkedHashMap<>();
        JsonNode groups = f.get(scenario, "groups", "");
        for (int gi = 0; gi < groups.size(); gi++) {
            JsonNode g = groups.get(gi);
            String at = "groups[" + gi + "]";
            Role role = f.get(g, "is_proj_params", at).asBoolean() ? Role.MLP : Role.OTHER;
            for (JsonNode n : f.get(g, "params", at)) {
                INDArray w = f.array(init, n.asText(), "init", type);
                out.put(n.asText(), new ParamRef(n.asText(), role, w, Nd4j.zerosLike(w)));
            }
        }
        return out;
    }

    private Map<String, Subspace> recordedSelection(JsonNode step, Map<String, ParamRef> params, String at) {
        Map<String, Subspace> out = new LinkedHashMap<>();
        JsonNode sel = f.get(step, "selection", at);
        for (Iterator<String> it = sel.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            String where = at + ".selection." + n;
            ParamRef p = params.get(n);
            if (p == null) {
                throw f.error(where, "selection for an unknown parameter in field");
            }
            out.put(n, subspace(sel.get(n), p, where));
        }
        return out;
    }

    private Subspace subspace(JsonNode s, ParamRef p, String at) {
        String kind = f.text(s, "kind", at);
        switch (kind) {
            case "block":
                return Block.of(f.get(s, "active", at).asBoolean());
            case "coord": {
                String choice = f.text(s, "coord_choice", at);
                if (!choice.equals("randk")) {
                    return new Coordinates(CoordinateChoice.of(choice), f.ints(s, "indices", at));
                }
                int[] rows = f.ints(s, "rows", at);
                int[] cols = f.ints(s, "cols", at);
                int[] flat = new int[rows.length];
                for (int i = 0; i < flat.length; i++) {
                    flat[i] = (int) (rows[i] * p.param().size(1) + cols[i]);
                }
                return new Coordinates(CoordinateChoice.RANDK, flat);
            }
            case "galore": {
                String side = f.text(s, "proj_side", at);
                JsonNode ortho = f.get(s, "ortho", at);
                return switch (side) {
                    case "right" -> new Projection(null, f.array(s, "ortho", at, type));
                    case "left" -> new Projection(f.array(s, "ortho", at, type), null);
                    case "full" -> new Projection(f.element(ortho, 0, at + ".ortho", type), f.element(ortho, 1, at + ".ortho", type));
                    default -> throw f.error(at + ".proj_side", "unknown side '" + side + "' in field");
                };
            }
            default:
                throw f.error(at + ".kind", "unknown selection kind '" + kind + "' in field");
        }
    }

    /** For svd, the projector of our own fp32 basis against the recorded one. */
    private void measureOwnSvd(Frugal opt, Map<String, ParamRef> params, Map<String, Subspace> recorded) {
        if (!"svd".equals(kwargs.path("proj_type").asText())) {
            return;
        }
        ProjectionSelector own = (ProjectionSelector) selector();
        for (Map.Entry<String, Subspace> e : recorded.entrySet()) {
            Subspace mine = own.project(params.get(e.getKey()).grad(), opt.density(), new SplittableRandom(0));
            if (mine instanceof Projection p && e.getValue() instanceof Projection ref) {
                svdError = Math.max(svdError, maxAbs(p.projector(), ref.projector()));
                if (p.left() != null && p.right() != null) {
                    svdError = Math.max(svdError, maxAbs(p.left().mmul(p.left().transpose()), ref.left().mmul(ref.left().transpose())));
                }
            }
        }
        if (svdError > TOL_SVD && failure == null) {
            failure = String.format("own svd projector differs from the recorded one by %.2e", svdError);
        }
    }

    private void expectSameSelection(String at, Subspace want, Subspace got) {
        boolean same;
        if (want instanceof Projection w && got instanceof Projection g) {
            same = maxAbs(w.projector(), g.projector()) <= TOL;
        } else if (want instanceof Coordinates w && got instanceof Coordinates g) {
            same = w.choice() == g.choice() && java.util.Arrays.equals(w.indices(), g.indices());
        } else {
            same = want == got;
        }
        if (!same) {
            fail(at + ": selection in force differs from the recorded one");
        }
    }

    private void compareState(Frugal opt, JsonNode state, String at, double tol) {
        for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            JsonNode want = state.get(n);
            TensorState st = opt.tensorState(n);
            String where = at + "." + n;
            if (st == null) {
                fail(where + ": no state");
                continue;
            }
            if (st.step != (long) f.number(want, "step", where)) {
                fail(where + ".step: " + st.step + " != " + want.get("step").asLong());
            }
            if (want.has("active") && (st.subspace == Block.ACTIVE) != want.get("active").asBoolean()) {
                fail(where + ".active differs");
            }
            int moments = 0;
            for (String key : new String[] {Adam.EXP_AVG, Adam.EXP_AVG_SQ, SgdMomentum.BUFFER}) {
                if (want.has(key)) {
                    moments++;
                    INDArray mine = st.moment(key);
                    if (mine == null) {
                        fail(where + "." + key + ": missing");
                    } else {
                        compare(where + "." + key, f.array(want, key, where, type), mine, tol);
                    }
                }
            }
            if (moments != st.moments().size()) {
                fail(where + ": holds " + st.moments().size() + " moments, the reference " + moments);
            }
        }
    }

    private void checkSchedule(JsonNode step, double lr, String at) {
        JsonNode s = scenario.get("schedule");
        if (s == null || s.isNull()) {
            return;
        }
        CyclicCosine c = new CyclicCosine((long) f.number(s, "num_warmup_steps", "schedule"),
                (long) f.number(s, "cycle_length", "schedule"), f.number(s, "min_lr_ratio", "schedule"));
        double want = f.number(kwargs, "lr", "kwargs") * c.multiplier((long) f.number(step, "t", at));
        record(at + ".lr_used", Math.abs(want - lr), TOL);
    }

    private void compare(String at, INDArray want, INDArray got, double tol) {
        if (!java.util.Arrays.equals(want.shape(), got.shape())) {
            fail(at + ": shape " + java.util.Arrays.toString(got.shape()) + " != " + java.util.Arrays.toString(want.shape()));
            return;
        }
        record(at, maxAbs(want, got), tol);
    }

    private void record(String at, double err, double tol) {
        maxError = Math.max(maxError, err);
        if (!(err <= tol)) {
            fail(String.format("%s: |diff| %.3e > %.0e", at, err, tol));
        }
    }

    private void fail(String message) {
        if (failure == null) {
            failure = message;
        }
    }

    private static double maxAbs(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
