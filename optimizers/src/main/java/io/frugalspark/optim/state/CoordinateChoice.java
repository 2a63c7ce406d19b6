package io.frugalspark.optim.state;

import java.util.Locale;

/** Which coordinates of W (m x n) a coordinate subset is made of: whole columns, whole rows, or k flat entries. */
public enum CoordinateChoice {
    COLUMNS, ROWS, RANDK;

    public static CoordinateChoice of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
