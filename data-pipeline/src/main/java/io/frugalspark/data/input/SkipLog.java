package io.frugalspark.data.input;

import io.frugalspark.data.Manifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Inputs left out, counted by reason, with the first few locations of each as examples. */
public final class SkipLog implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String MISSING_TEXT = "missing_text";
    public static final String EMPTY_DOCUMENT = "empty_document";
    public static final String UNREADABLE_FILE = "unreadable_file";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String INVALID_UTF8 = "invalid_utf8";
    public static final String OVERSIZED_LINE = "oversized_line";
    public static final String EMPTY_FILE = "empty_file";
    public static final int MAX_EXAMPLES = 5;

    private final TreeMap<String, Long> counts = new TreeMap<>();
    private final TreeMap<String, List<String>> examples = new TreeMap<>();

    public void add(String reason, String location) {
        counts.merge(reason, 1L, Long::sum);
        List<String> ex = examples.computeIfAbsent(reason, r -> new ArrayList<>());
        if (ex.size() < MAX_EXAMPLES) {
            ex.add(location);
        }
    }

    /** Appends another log after this one (callers merge in input-file order, so examples are stable). */
    public void addAll(SkipLog other) {
        other.counts.forEach((reason, n) -> counts.merge(reason, n, Long::sum));
        other.examples.forEach((reason, ex) -> {
            List<String> mine = examples.computeIfAbsent(reason, r -> new ArrayList<>());
            for (String e : ex) {
                if (mine.size() < MAX_EXAMPLES) {
                    mine.add(e);
                }
            }
        });
    }

    public long count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    public Map<String, Manifest.Skip> toManifest() {
        Map<String, Manifest.Skip> out = new TreeMap<>();
        counts.forEach((reason, n) -> out.put(reason, new Manifest.Skip(n, List.copyOf(examples.get(reason)))));
        return out;
    }

    public static SkipLog fromManifest(Map<String, Manifest.Skip> skipped) {
        SkipLog log = new SkipLog();
        skipped.forEach((reason, s) -> {
            log.counts.put(reason, s.count());
            log.examples.put(reason, new ArrayList<>(s.examples()));
        });
        return log;
    }
}
