package io.frugalspark.cuda;

/** A device allocation: its address (what kernels and cuBLAS take) and size. Freed with the context. */
public record DeviceBuffer(long address, long bytes) {

    /** The address of float element i. */
    public long floatAt(long i) {
        if (i < 0 || i * Float.BYTES > bytes) throw new IndexOutOfBoundsException("float " + i + " of " + bytes / Float.BYTES);
        return address + i * Float.BYTES;
    }
}
