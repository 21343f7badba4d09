package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;

/**
 * Runs one leaf command, named in commands.yaml. A handler reads the invocation, calls the core
 * and prints through the context; it never touches picocli or {@code System.*}. Tests run it
 * through the dispatcher with an in-process {@code CliRunner}.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Returns the process exit code; failures meant for the user are {@link DclientException}s,
     * which the dispatcher prints as one line and maps to an exit code by kind ({@link ExitCodes}).
     */
    int run(Invocation invocation, Context context) throws Exception;
}
