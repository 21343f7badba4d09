package io.datasette.dclient.write;

import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/** Not implemented yet. */
public final class InsertHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        throw new DclientException("dclient insert is not implemented yet");
    }
}
