package io.datasette.dclient.cli;

import io.datasette.dclient.core.DclientException.Kind;

/** The one place where a failure's kind becomes the process exit status. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    /** A command line picocli or a handler could not accept (click's convention, as Python dclient). */
    public static final int USAGE = 2;
    /** 128 + SIGINT, what a shell reports for Ctrl-C. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    public static int of(Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case INTERRUPTED -> INTERRUPTED;
            default -> ERROR;
        };
    }
}
