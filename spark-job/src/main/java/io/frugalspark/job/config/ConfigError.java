package io.frugalspark.job.config;

/** A configuration problem a user can fix: the message names the key and where it came from. */
public final class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }
}
