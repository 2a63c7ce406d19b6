package io.frugalspark.data;

import java.util.Locale;

/** What happens to an unreadable input file (corrupt gzip, unreadable parquet, more bad lines than max_bad_line_fraction). */
public enum OnError {
    /** The job fails with the file's name. */
    FAIL,
    /** The file is left out and counted in the manifest under "unreadable_file". */
    SKIP;

    public static OnError parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown on_error '" + name + "' (fail | skip)");
        }
    }
}
