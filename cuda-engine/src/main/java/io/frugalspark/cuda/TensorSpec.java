package io.frugalspark.cuda;

/** One trainable tensor: its Hugging Face name, role and row-major shape (Linear weights [out, in]). */
public record TensorSpec(String name, Role role, long rows, long cols) {

    public enum Role { EMBEDDING, NORM, ATTENTION, MLP, LM_HEAD }

    public long elements() {
        return rows * cols;
    }

    /** FRUGAL's projectable group: the attention and MLP matrices; everything else is always AdamW. */
    public boolean projectable() {
        return role == Role.ATTENTION || role == Role.MLP;
    }
}
