package io.frugalspark.optim.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Field access into one scenario of a vectors file, with errors that name scenario and path. */
final class Fields {
    private final String scenario;

    Fields(String scenario) {
        this.scenario = scenario;
    }

    JsonNode get(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new VectorsError(scenario, join(path, field), "missing field");
        }
        return v;
    }

    double number(JsonNode node, String field, String path) {
        JsonNode v = get(node, field, path);
        if (!v.isNumber()) {
            throw new VectorsError(scenario, join(path, field), "not a number:");
        }
        return v.asDouble();
    }

    String text(JsonNode node, String field, String path) {
        return get(node, field, path).asText();
    }

    /** A nested list of numbers as an array of {@code type}. */
    INDArray array(JsonNode node, String field, String path, DataType type) {
        return array(get(node, field, path), join(path, field), type);
    }

    /** Element {@code index} of a JSON list of arrays. */
    INDArray element(JsonNode list, int index, String path, DataType type) {
        if (!list.isArray() || list.size() <= index) {
            throw new VectorsError(scenario, path + "[" + index + "]", "missing field");
        }
        return array(list.get(index), path + "[" + index + "]", type);
    }

    private INDArray array(JsonNode v, String path, DataType type) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = v; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        double[] flat = new double[(int) shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b)];
        fill(v, flat, new int[] {0}, path);
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        return Nd4j.create(flat, s, 'c').castTo(type);
    }

    private void fill(JsonNode v, double[] flat, int[] at, String path) {
        if (v.isArray()) {
            v.forEach(x -> fill(x, flat, at, path));
        } else if (v.isNumber() && at[0] < flat.length) {
            flat[at[0]++] = v.asDouble();
        } else {
            throw new VectorsError(scenario, path, "ragged or non-numeric array");
        }
    }

    int[] ints(JsonNode node, String field, String path) {
        JsonNode v = get(node, field, path);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).asInt();
        }
        return out;
    }

    VectorsError error(String path, String problem) {
        return new VectorsError(scenario, path, problem);
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
