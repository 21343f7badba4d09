package io.datasette.dclient.cli;

import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;

/**
 * Runs one leaf command. Handlers get everything through the invocation and the context and
 * never touch picocli or {@code System.*}, so tests can call them directly.
 */
@FunctionalInterface
public interface Handler {
    /** Returns the process exit code; failures meant for the user are {@link DclientException}s. */
    int run(Invocation invocation, Context context) throws Exception;
}
