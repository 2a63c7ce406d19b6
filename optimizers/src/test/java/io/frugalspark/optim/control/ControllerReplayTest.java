package io.frugalspark.optim.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.optim.StepStats.Part;
import io.frugalspark.optim.TensorStats;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The statistics-driven controllers replayed over a committed sequence of 40 rounds
 * ({@code rounds.json}, written by {@code generate_rounds.py}) against the decisions of an
 * independent Python implementation ({@code reference.py}, output committed as {@code expected.json};
 * the suite never runs Python). Doubles must agree exactly: both sides do the same floating-point
 * operations in the same order. Round 17 holds a NaN and round 29 an infinity.
 */
class ControllerReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int NAN_ROUND = 17;
    static final List<RoundStats> ROUNDS = rounds();
    private static final JsonNode EXPECTED = resource("expected.json");

    private static JsonNode resource(String name) {
        try (InputStream in = ControllerReplayTest.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RoundStats> rounds() {
        JsonNode doc = resource("rounds.json");
        List<String> names = new ArrayList<>();
        doc.get("blocks").forEach(n -> names.add(n.asText()));
        List<String> group = List.copyOf(names);
        List<RoundStats> out = new ArrayList<>();
        for (JsonNode r : doc.get("rounds")) {
            TensorStats stats = new TensorStats(group);
            for (int i = 0; i < group.size(); i++) {
                JsonNode t = r.get("tensors").get(i);
                stats.record(i, Part.STATEFULL, number(t.get("grad_full")), number(t.get("update_full")), t.get("numel_full").asLong());
                stats.record(i, Part.STATEFREE, number(t.get("grad_free")), number(t.get("update_free")), t.get("numel_free").asLong());
            }
            out.add(new RoundStats(r.get("end").asLong(), r.get("steps").asInt(), r.get("since_reselection").asLong(), stats));
        }
        return out;
    }

    /** JSON has no NaN or infinity: the files spell them as strings. */
    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.doubleValue();
    }

    private static Rule rule(JsonNode n) {
        return Rule.valueOf(n.get("rule").asText().toUpperCase(Locale.ROOT));
    }

    private static ImportanceSelection importance(JsonNode c) {
        return new ImportanceSelection(new ImportanceSelection.Settings(c.get("beta").asDouble(), c.get("epsilon").asDouble(),
                c.get("seed").asLong()));
    }

    private static DriftAwareGap drift() {
        JsonNode c = EXPECTED.get("settings").get("drift");
        return new DriftAwareGap(new DriftAwareGap.Settings(c.get("t_min").asInt(), c.get("t_max").asInt(), c.get("fraction").asDouble()));
    }

    /** The first energy configuration moves rho often; the second (a narrow range) makes both clamps bind. */
    private static EnergyTargetedRho energy(int config) {
        JsonNode c = EXPECTED.get("settings").get("energy").get(config);
        return new EnergyTargetedRho(new EnergyTargetedRho.Settings(c.get("start").asDouble(), c.get("end").asDouble(),
                c.get("share").asDouble(), c.get("hold").asLong()));
    }

    /** Importance selection observes every round and chooses k blocks after it. */
    private static ImportanceSelection.Choice step(ImportanceSelection s, RoundStats r, int k) {
        s.observe(r.stats());
        return s.choose(k, r.stats().size());
    }

    @Test
    void importanceSelectionMatchesTheReference() {
        for (int c = 0; c < 2; c++) {
            JsonNode cfg = EXPECTED.get("settings").get("importance").get(c);
            ImportanceSelection s = importance(cfg);
            int k = cfg.get("k").asInt();
            for (int r = 0; r < ROUNDS.size(); r++) {
                JsonNode want = EXPECTED.get("importance").get(c).get(r);
                ImportanceSelection.Choice got = step(s, ROUNDS.get(r), k);
                List<Integer> active = new ArrayList<>();
                want.get("active").forEach(i -> active.add(i.asInt()));
                assertEquals(active, Arrays.stream(got.active()).boxed().toList(), "config " + c + " round " + r);
                assertEquals(rule(want), got.rule(), "config " + c + " round " + r);
            }
        }
    }

    @Test
    void equalImportanceGoesToTheLowerIndex() {
        ImportanceSelection s = new ImportanceSelection(new ImportanceSelection.Settings(0.9, 0, 1));
        assertEquals(new ImportanceSelection.Choice(new int[] {0, 1}, Rule.IMPORTANCE), s.choose(2, 5), "before any round");
        TensorStats flat = new TensorStats(List.of("a", "b", "c"));
        flat.record(0, Part.STATEFREE, 1, 0, 1);
        flat.record(1, Part.STATEFREE, 2, 0, 1);
        flat.record(2, Part.STATEFREE, 2, 0, 1);
        s.observe(flat);
        assertEquals(new ImportanceSelection.Choice(new int[] {1, 2}, Rule.IMPORTANCE), s.choose(2, 3));
    }

    @Test
    void driftAwareGapMatchesTheReference() {
        DriftAwareGap d = drift();
        for (int r = 0; r < ROUNDS.size(); r++) {
            JsonNode want = EXPECTED.get("drift").get(r);
            DriftAwareGap.Decision got = d.observe(ROUNDS.get(r));
            String at = "round " + r;
            assertEquals(want.get("reselect").asBoolean(), got.reselect(), at);
            assertEquals(number(want.get("share")), got.share(), 0.0, at);
            assertEquals(number(want.get("reference")), got.reference(), 0.0, at);
            assertEquals(rule(want), got.rule(), at);
        }
    }

    @Test
    void energyTargetedRhoMatchesTheReference() {
        for (int c = 0; c < 2; c++) {
            EnergyTargetedRho e = energy(c);
            for (int r = 0; r < ROUNDS.size(); r++) {
                JsonNode want = EXPECTED.get("energy").get(c).get(r);
                EnergyTargetedRho.Decision got = e.observe(ROUNDS.get(r));
                String at = "config " + c + " round " + r;
                assertEquals(want.get("rho").asDouble(), got.rho(), 0.0, at);
                assertEquals(want.get("blocks").asInt(), got.blocks(), at);
                assertEquals(number(want.get("captured")), got.captured(), 0.0, at);
                assertEquals(rule(want), got.rule(), at);
            }
        }
    }

    @Test
    void aNonFiniteRoundLeavesEveryControllerAsItWas() {
        ImportanceSelection s = importance(EXPECTED.get("settings").get("importance").get(1));
        DriftAwareGap d = drift();
        EnergyTargetedRho e = energy(0);
        for (RoundStats r : ROUNDS.subList(0, NAN_ROUND)) {
            s.observe(r.stats());
            d.observe(r);
            e.observe(r);
        }
        RoundStats bad = ROUNDS.get(NAN_ROUND);
        assertFalse(bad.stats().finite());
        ImportanceSelection.State sBefore = s.state();
        DriftAwareGap.State dBefore = d.state();
        EnergyTargetedRho.State eBefore = e.state();
        assertEquals(Rule.IGNORED, s.observe(bad.stats()));
        DriftAwareGap.Decision dd = d.observe(bad);
        assertEquals(Rule.IGNORED, dd.rule());
        assertFalse(dd.reselect());
        assertEquals(Rule.IGNORED, e.observe(bad).rule());
        assertEquals(sBefore, s.state());
        assertEquals(dBefore, d.state());
        assertEquals(eBefore, e.state());
    }

    @Test
    void stateRoundTripMidSequenceReproducesTheRemainingDecisions() {
        int k = 3;
        JsonNode cfg = EXPECTED.get("settings").get("importance").get(1);
        for (int cut : new int[] {NAN_ROUND, 21}) {
            assertSameTail(cut, () -> importance(cfg), ImportanceSelection::state,
                    (s, m) -> s.restore(ImportanceSelection.State.fromMap(m)), ImportanceSelection.State::toMap,
                    (s, r) -> step(s, r, k));
            assertSameTail(cut, ControllerReplayTest::drift, DriftAwareGap::state,
                    (d, m) -> d.restore(DriftAwareGap.State.fromMap(m)), DriftAwareGap.State::toMap, DriftAwareGap::observe);
            assertSameTail(cut, () -> energy(0), EnergyTargetedRho::state,
                    (e, m) -> e.restore(EnergyTargetedRho.State.fromMap(m)), EnergyTargetedRho.State::toMap, EnergyTargetedRho::observe);
        }
    }

    /**
     * Runs a controller over all rounds, and a second one over the first {@code cut}, through its
     * state as JSON (as a checkpoint holds it) into a fresh third, over the rest: the decisions after
     * the cut must be equal.
     */
    private static <C, S, D> void assertSameTail(int cut, Supplier<C> fresh, Function<C, S> state,
            BiConsumer<C, Map<String, Object>> restore, Function<S, Map<String, Object>> toMap, BiFunction<C, RoundStats, D> decide) {
        C whole = fresh.get();
        List<D> want = new ArrayList<>();
        for (RoundStats r : ROUNDS) {
            want.add(decide.apply(whole, r));
        }
        C first = fresh.get();
        for (RoundStats r : ROUNDS.subList(0, cut)) {
            decide.apply(first, r);
        }
        C resumed = fresh.get();
        restore.accept(resumed, viaJson(toMap.apply(state.apply(first))));
        for (int r = cut; r < ROUNDS.size(); r++) {
            assertEquals(want.get(r), decide.apply(resumed, ROUNDS.get(r)), "cut " + cut + " round " + r);
        }
    }

    /** {@code m} written as JSON and read back, as a checkpoint's trainer.json holds it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> viaJson(Map<String, Object> m) {
        try {
            return JSON.readValue(JSON.writeValueAsBytes(m), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRecordedSequenceExercisesEveryRule() {
        List<String> drift = new ArrayList<>();
        EXPECTED.get("drift").forEach(d -> drift.add(d.get("rule").asText()));
        List<String> energy = new ArrayList<>();
        EXPECTED.get("energy").get(0).forEach(d -> energy.add(d.get("rule").asText()));
        List<String> importance = new ArrayList<>();
        EXPECTED.get("importance").get(1).forEach(d -> importance.add(d.get("rule").asText()));
        assertTrue(drift.containsAll(List.of("drift", "t_min", "t_max", "none", "ignored")), drift.toString());
        assertTrue(energy.containsAll(List.of("energy_rho", "rho_held", "none", "ignored")), energy.toString());
        assertTrue(importance.containsAll(List.of("importance", "exploration")), importance.toString());
    }
}
