package io.datasette.dclient.core;

/**
 * The one exception family that carries a user-facing message and what kind of failure it is.
 * The message states what happened, as facts that hold for both faces, and never holds a secret;
 * what the user can do next travels beside it as {@link Advice}, which each face words in its own
 * terms (the command line with {@link #message(Advice.Words)}, the library by
 * {@link #wordedBy}), so core never names a command-line option or a {@code dclient} command.
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
    private final Advice advice;
    private volatile Advice.Words<String> words;

    public DclientException(String message) {
        this(message, Kind.FAILED, null, null);
    }

    public DclientException(String message, Kind kind) {
        this(message, kind, null, null);
    }

    /** A failure and what can be done about it. */
    public DclientException(String message, Kind kind, Advice advice) {
        this(message, kind, null, advice);
    }

    /** A new message for {@code cause}, keeping its kind and advice when it is one of ours. */
    public DclientException(String message, Throwable cause) {
        this(message, cause instanceof DclientException d ? d.kind : Kind.FAILED, cause,
                cause instanceof DclientException d ? d.advice : null);
        if (cause instanceof DclientException d) this.words = d.words;
    }

    public DclientException(String message, Kind kind, Throwable cause) {
        this(message, kind, cause, null);
    }

    public DclientException(String message, Kind kind, Throwable cause, Advice advice) {
        super(message, cause);
        this.kind = kind == null ? Kind.FAILED : kind;
        this.advice = advice;
    }

    public Kind kind() {
        return kind;
    }

    /** What the user can do next, as facts for a face to word; null when there is nothing to add. */
    public Advice advice() {
        return advice;
    }

    /** What happened, without advice. */
    public String fact() {
        return super.getMessage();
    }

    /**
     * The message as a face shows it: the {@link #fact}, with the advice in {@code words} after
     * its first line (which states the failure; later lines say what it left behind).
     */
    public String message(Advice.Words<String> words) {
        String fact = fact();
        String said = advice == null || words == null ? null : advice.accept(words);
        if (said == null || said.isEmpty()) return fact;
        if (fact == null || fact.isEmpty()) return said;
        int eol = fact.indexOf('\n');
        return eol < 0 ? fact + " " + said : fact.substring(0, eol) + " " + said + fact.substring(eol);
    }

    /** The {@link #message} in the words a face set with {@link #wordedBy}; before that, the fact alone. */
    @Override
    public String getMessage() {
        return message(words);
    }

    /**
     * From now on {@link #getMessage} words the advice with {@code words}: the library does this
     * where a failure leaves it, so a Java caller reads advice in the library's terms. Returns this.
     */
    public DclientException wordedBy(Advice.Words<String> words) {
        this.words = words;
        return this;
    }

    /** The same failure with more said about it (what was done before it, what is lost). */
    public DclientException withMessage(String message) {
        return new DclientException(message, this);
    }

    public static DclientException usage(String message) {
        return new DclientException(message, Kind.USAGE);
    }

    public static DclientException interrupted(String message, InterruptedException cause) {
        return new DclientException(message, Kind.INTERRUPTED, cause);
    }
}
