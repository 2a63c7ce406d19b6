package io.frugalspark.optim.state;

/** Element types of stored arrays, with their one-byte codes in the state format. */
public enum DType {
    F32(1, 4), F64(2, 8), I32(3, 4), I64(4, 8);

    private final int code;
    private final int width;

    DType(int code, int width) {
        this.code = code;
        this.width = width;
    }

    public int width() {
        return width;
    }

    int code() {
        return code;
    }

    static DType of(int code) {
        for (DType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown array type code " + code);
    }
}
