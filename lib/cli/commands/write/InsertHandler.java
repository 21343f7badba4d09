package io.datasette.dclient.cli.commands.write;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;

/**
 * {@code insert DB TABLE FILE|-}: POSTs batches to {@code /DB/TABLE/-/insert}, or with
 * {@code --create} to {@code /DB/-/create} (which creates the table on the first batch and
 * inserts into it after that). See {@link WriteCommand}.
 */
public final class InsertHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) throws InterruptedException {
        WriteCommand.InsertOptions options = new WriteCommand.InsertOptions(inv.flag("create"), inv.flag("replace"),
                inv.flag("ignore"));
        return new WriteCommand(WriteCommand.Kind.INSERT, inv, ctx, options).run();
    }
}
