package io.frugalspark.data;

import java.util.Locale;

/** The corpus layouts the pipeline reads, and each one's default text column. */
public enum InputFormat {
    /** C4 {@code en}: gzip JSON lines with text, timestamp, url. */
    C4("text"),
    /** VietVault: parquet or JSON lines with a markdown column. */
    VIETVAULT("markdown"),
    JSONL("text"),
    PARQUET("text");

    private final String defaultTextColumn;

    InputFormat(String defaultTextColumn) {
        this.defaultTextColumn = defaultTextColumn;
    }

    public String defaultTextColumn() {
        return defaultTextColumn;
    }

    public static InputFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown data format '" + name + "' (c4 | vietvault | jsonl | parquet)");
        }
    }
}
