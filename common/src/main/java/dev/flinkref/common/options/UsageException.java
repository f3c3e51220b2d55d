package dev.flinkref.common.options;

/** Bad command-line arguments. The message is one line, meant to be shown as it is. */
public class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
