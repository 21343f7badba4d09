package io.datasette.dclient.cli;

import io.datasette.dclient.core.Context;

/** Process entry point: builds the real context, runs the dispatcher and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Context ctx = Context.system();
        int code = run(args, ctx);
        ctx.out().flush();
        ctx.err().flush();
        System.exit(code);
    }

    /** Runs one command line in this process; used by tests and the Java API alike. */
    public static int run(String[] args, Context ctx) {
        CommandDef spec;
        try {
            spec = CommandSpecs.load();
        } catch (CommandSpecs.SpecException e) {
            ctx.err().println("Error: broken installation: " + e.getMessage());
            return 4;
        }
        return new Dispatcher(spec).run(args, ctx);
    }
}
