package io.frugalspark.optim;

/** Which tensors form the projectable group; the rest is regular (always the state-full rule). */
public enum Partition {
    /** No projectable group: plain AdamW / SGD / Lion on every tensor. */
    NONE,
    /** FRUGAL's group: attention and MLP tensors (ALGORITHMS.md section 1). */
    PROJECTABLE,
    /** Every tensor (signSGD everywhere). */
    ALL;

    public boolean contains(ParamRef p) {
        return contains(p.role());
    }

    public boolean contains(Role role) {
        return this == ALL || (this == PROJECTABLE && role.projectable());
    }
}
