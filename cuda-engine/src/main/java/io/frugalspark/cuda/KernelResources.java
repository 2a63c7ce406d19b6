package io.frugalspark.cuda;

/**
 * What ptxas reported for one kernel: registers per thread, local-memory stack frame and spill traffic
 * (bytes), and static shared memory per block (bytes).
 */
public record KernelResources(int registers, int stackBytes, int spillStoreBytes, int spillLoadBytes, int sharedBytes) {

    /** Static __shared__ arrays are capped at 48 KB per block on every architecture (more needs dynamic opt-in). */
    public static final int STATIC_SHARED_LIMIT = 48 * 1024;
    /** A thread can address at most 255 registers on sm_75..sm_120. */
    public static final int REGISTER_LIMIT = 255;

    public boolean spills() {
        return spillStoreBytes > 0 || spillLoadBytes > 0;
    }

    @Override
    public String toString() {
        return registers + " regs, " + sharedBytes + " B smem, " + stackBytes + " B stack, "
                + spillStoreBytes + "/" + spillLoadBytes + " B spill st/ld";
    }
}
