package io.frugalspark.data;

/** An input the pipeline cannot use; the message names the file (and line or row where known). */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
