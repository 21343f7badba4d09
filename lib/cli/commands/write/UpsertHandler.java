package io.datasette.dclient.cli.commands.write;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/** {@code upsert DB TABLE FILE|-}: POSTs batches to {@code /DB/TABLE/-/upsert}. See {@link WriteCommand}. */
public final class UpsertHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) throws InterruptedException {
        return new WriteCommand(WriteCommand.Kind.UPSERT, inv, ctx, WriteCommand.InsertOptions.NONE).run();
    }
}
