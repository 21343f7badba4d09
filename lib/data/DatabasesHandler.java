package io.datasette.dclient.data;

import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/** Not implemented yet. */
public final class DatabasesHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        throw new DclientException("dclient databases is not implemented yet");
    }
}
