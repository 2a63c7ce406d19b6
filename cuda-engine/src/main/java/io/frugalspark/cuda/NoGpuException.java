package io.frugalspark.cuda;

/** This machine has no usable NVIDIA GPU: no driver library, or the driver sees no device. */
public final class NoGpuException extends Exception {
    public NoGpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
