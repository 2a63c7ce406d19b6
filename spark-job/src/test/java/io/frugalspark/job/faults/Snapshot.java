package io.frugalspark.job.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.frugalspark.job.io.CheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run had committed when a fault hit: its committed checkpoints (with their bytes) and the
 * metrics rows up to the newest of them, which a resume must keep. Bytes of committed data lost =
 * bytes of those checkpoints that no longer verify plus bytes of those rows that changed or vanished.
 */
record Snapshot(Map<org.apache.hadoop.fs.Path, Long> checkpoints, Map<Long, Row> rows) {
    /** The values of a metrics row that a rerun must reproduce, and the size of its line. */
    record Row(List<Object> values, int bytes) {}

    static final List<String> KEYS = List.of("tokens", "train_loss", "val_loss", "lr");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Snapshot take(CheckpointStore store, Path metricsFile) throws IOException {
        Map<org.apache.hadoop.fs.Path, Long> cps = new LinkedHashMap<>();
        long last = -1;
        for (org.apache.hadoop.fs.Path cp : store.committed()) {
            cps.put(cp, store.fileSystem().getContentSummary(cp).getLength());
            last = Math.max(last, CheckpointStore.stepOf(cp));
        }
        Map<Long, Row> upToLast = new HashMap<>();
        long newest = last;
        rows(metricsFile).forEach((step, row) -> {
            if (step <= newest) {
                upToLast.put(step, row);
            }
        });
        return new Snapshot(cps, upToLast);
    }

    /** Step to row; the last row of a step wins (a resumed run rewrites the rows after its checkpoint). */
    @SuppressWarnings("unchecked")
    static Map<Long, Row> rows(Path metricsFile) throws IOException {
        Map<Long, Row> out = new LinkedHashMap<>();
        if (!Files.exists(metricsFile)) {
            return out;
        }
        for (String line : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
            Map<String, Object> m;
            try {
                m = JSON.readValue(line, Map.class);
            } catch (IOException torn) {
                continue; // a line torn by a killed driver is not a committed row
            }
            Object[] values = KEYS.stream().map(m::get).toArray();
            out.put(((Number) m.get("step")).longValue(), new Row(Arrays.asList(values), line.getBytes(StandardCharsets.UTF_8).length + 1));
        }
        return out;
    }

    /** Bytes of what was committed here that {@code store} and {@code metricsFile} no longer hold intact. */
    long lostBytes(CheckpointStore store, Path metricsFile) throws IOException {
        long lost = 0;
        for (Map.Entry<org.apache.hadoop.fs.Path, Long> cp : checkpoints.entrySet()) {
            try {
                store.resolve(cp.getKey().toString());
            } catch (IOException gone) {
                lost += cp.getValue();
            }
        }
        Map<Long, Row> now = rows(metricsFile);
        for (Map.Entry<Long, Row> r : rows.entrySet()) {
            Row n = now.get(r.getKey());
            if (n == null || !n.values().equals(r.getValue().values())) {
                lost += r.getValue().bytes();
            }
        }
        return lost;
    }
}
