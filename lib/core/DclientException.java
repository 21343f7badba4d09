package io.datasette.dclient.core;

/**
 * The one exception type that carries a user-facing message and an exit code. The dispatcher
 * prints it as a single {@code Error: ...} line on stderr; never put a token in the message.
 */
public class DclientException extends RuntimeException {
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    private final int exitCode;

    public DclientException(String message) {
        this(message, ERROR, null);
    }

    public DclientException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    public DclientException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public DclientException(String message, Throwable cause) {
        this(message, ERROR, cause);
    }

    public int exitCode() {
        return exitCode;
    }

    public static DclientException usage(String message) {
        return new DclientException(message, USAGE);
    }
}
