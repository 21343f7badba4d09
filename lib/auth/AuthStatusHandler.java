package io.datasette.dclient.auth;

import io.datasette.dclient.cli.Context;
import io.datasette.dclient.cli.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/** Not implemented yet. */
public final class AuthStatusHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        throw new DclientException("dclient auth status is not implemented yet");
    }
}
