package io.frugalspark.job.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frugalspark.model.LlamaConfig;
import io.frugalspark.model.LlamaModel;
import io.frugalspark.model.Parameter;
import io.frugalspark.optim.Frugal;
import io.frugalspark.optim.Presets;
import io.frugalspark.optim.Role;
import io.frugalspark.optim.method.Method;
import io.frugalspark.optim.method.TensorShape;
import io.frugalspark.testkit.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The method descriptor against real optimizers on the real tiny model, and the contract's reach. */
class MethodDescriptorTest {

    private static LlamaConfig tiny(boolean sltrain) {
        return LlamaConfig.preset("tiny", 384, 17).toBuilder().sltrain(sltrain).build();
    }

    /** For every preset, dense and SLTrain: the estimate from shapes is the optimizer's measured state after a step. */
    @Test
    void stateBytesFromShapesEqualTheOptimizersAfterAStep() {
        for (boolean sltrain : new boolean[] {false, true}) {
            LlamaConfig c = tiny(sltrain);
            Replica r = new Replica(LlamaModel.init(c, 3, DataType.FLOAT), Presets.create("adamw", 0, 1, null, null));
            r.refs().forEach(p -> assertTrue(p.grad().assign(0.01).sumNumber().doubleValue() != 0));
            for (String preset : Presets.names()) {
                Method m = Presets.method(preset);
                Frugal f = m.create(0, 11);
                f.step(r.refs(), 0.0); // lr 0: state allocated, parameters unchanged
                long estimate = m.stateBytes(ModelShapes.of(c), Float.BYTES, 11);
                assertEquals(f.stateBytes(), estimate, preset + (sltrain ? " on SLTrain" : ""));
                if (preset.equals("sgd") || preset.equals("signsgd")) {
                    assertEquals(0, estimate, preset + " keeps no state");
                }
                f.close();
            }
        }
    }

    @Test
    void shapesFromTheConfigAreTheModelsTrainableTensorsInOrder() {
        for (boolean sltrain : new boolean[] {false, true}) {
            LlamaConfig c = tiny(sltrain);
            List<Parameter> real = LlamaModel.init(c, 1, DataType.FLOAT).parameters().stream().filter(Parameter::trainable).toList();
            List<TensorShape> shapes = ModelShapes.of(c);
            assertEquals(real.size(), shapes.size());
            for (int i = 0; i < real.size(); i++) {
                INDArray v = real.get(i).value();
                assertEquals(real.get(i).name(), shapes.get(i).name());
                assertEquals(Role.of(real.get(i).role()), shapes.get(i).role(), real.get(i).name());
                assertArrayEquals(v.shape(), shapes.get(i).shape(), real.get(i).name());
            }
            assertEquals(c.parameterCount(), shapes.stream().mapToLong(t -> io.frugalspark.optim.state.HostArray.numel(t.shape())).sum());
        }
    }

    /**
     * No main code outside the optimizers module names a preset: the driver asks the descriptor. Three
     * literals are the same words for other things: the DL4J updater's state-map key, the launcher's file
     * name, and the state-free rule "sgd" in the CUDA engine's list of rules.
     */
    @Test
    void noPresetNameIsSpelledOutsideTheOptimizersModule() throws IOException {
        Pattern literal = Pattern.compile("\"([a-z0-9-]+)\"");
        List<String> found = new ArrayList<>();
        Path root = SharedFiles.repoRoot();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .filter(p -> !root.relativize(p).startsWith("optimizers")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = literal.matcher(lines.get(i));
                    while (m.find()) {
                        if (Presets.names().contains(m.group(1)) && !allowed(f, lines.get(i))) {
                            found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** The defaults file's list (and so the README's config table) names every preset. */
    @Test
    void theConfigDocumentsEveryPreset() throws IOException {
        String defaults = Files.readString(SharedFiles.repoRoot().resolve("spark-job/src/main/resources/frugal-defaults.conf"));
        String readme = Files.readString(SharedFiles.repoRoot().resolve("README.md"));
        String list = String.join(" | ", Presets.names());
        assertTrue(defaults.contains("# " + list + "\n"), "frugal-defaults.conf's optimizer.preset comment should read: " + list);
        assertTrue(readme.contains(String.join(" / ", Presets.names())), "regenerate README's table: scripts/config_table.py --write");
    }

    private static boolean allowed(Path f, String line) {
        return f.endsWith("FrugalGradientUpdater.java") && line.contains("String STATE = \"frugal\"")
                || f.endsWith("SharedFiles.java") && line.contains("resolve(\"frugal\")")
                || f.endsWith("EngineSupport.java") && line.contains("STATE_FREE_RULES = Set.of(");
    }
}
