package io.datasette.dclient.core;

/**
 * The one exception family that carries a user-facing message and what kind of failure it is.
 * Both faces show the message as is (the command line as a single {@code Error: ...} line, the
 * library as the exception's message), so it must say what to do next and never hold a secret.
 * The command line maps each {@link Kind} to an exit code in one place.
 */
public class DclientException extends RuntimeException {
    /** What went wrong, for exit codes and for callers that want to react (retry, re-login...). */
    public enum Kind {
        /** The command or call was used wrongly (bad option value, conflicting flags). */
        USAGE,
        /** Something named does not exist (instance alias, database, table, row, file). */
        NOT_FOUND,
        /** The server refused: 401 (no or bad token) or 403 (no permission). */
        PERMISSION,
        /** The server could not be reached, or stopped answering. */
        NETWORK,
        /** The server answered, but with an error or something that is not Datasette's shape. */
        SERVER,
        /** The input or a local file could not be read or used. */
        INPUT,
        /** The user stopped it (Ctrl-C, an interrupted thread). */
        INTERRUPTED,
        /** Anything else. */
        FAILED
    }

    private final Kind kind;

    public DclientException(String message) {
        this(message, Kind.FAILED, null);
    }

    public DclientException(String message, Kind kind) {
        this(message, kind, null);
    }

    public DclientException(String message, Throwable cause) {
        this(message, cause instanceof DclientException d ? d.kind : Kind.FAILED, cause);
    }

    public DclientException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind == null ? Kind.FAILED : kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The same failure with more said about it (what was done before it, what is lost). */
    public DclientException withMessage(String message) {
        return new DclientException(message, kind, this);
    }

    public static DclientException usage(String message) {
        return new DclientException(message, Kind.USAGE);
    }

    public static DclientException interrupted(String message, InterruptedException cause) {
        return new DclientException(message, Kind.INTERRUPTED, cause);
    }
}
