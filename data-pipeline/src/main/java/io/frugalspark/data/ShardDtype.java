package io.frugalspark.data;

import java.util.Locale;

/** Token id width in a shard: the smallest that holds every id of the vocabulary. */
public enum ShardDtype {
    UINT16(1, 2),
    INT32(2, 4);

    private final int code;
    private final int bytes;

    ShardDtype(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The code stored in the shard header. */
    public int code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ShardDtype forVocab(int vocabSize) {
        return vocabSize <= 65535 ? UINT16 : INT32;
    }

    public static ShardDtype ofCode(int code) {
        for (ShardDtype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown shard dtype code " + code);
    }

    public static ShardDtype parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
