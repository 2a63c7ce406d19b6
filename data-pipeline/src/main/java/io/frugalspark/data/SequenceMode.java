package io.frugalspark.data;

import java.util.Locale;

/** How documents become fixed-length sequences. */
public enum SequenceMode {
    /** Documents joined with EOS and cut into seq_len pieces; every target counts. */
    PACK,
    /** The papers' mode: one document per sequence, truncated and padded with PAD (ignored by the loss). */
    DOCUMENT;

    public static SequenceMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown sequence mode '" + name + "' (pack | document)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
