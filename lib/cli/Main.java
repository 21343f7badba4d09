package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Process entry point: builds the real context, runs the dispatcher and exits with its code.
 * Ctrl-C (SIGINT, also SIGTERM and SIGHUP) interrupts the command's thread through an
 * {@link InterruptRelay}, so the command can say what it leaves behind before the exit (130).
 */
public final class Main {
    /** How long a command may take, after Ctrl-C, to stop and print what it left behind. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(3);

    private Main() {}

    public static void main(String[] args) {
        Context ctx = Context.system();
        InterruptRelay relay = new InterruptRelay(Thread.currentThread(), INTERRUPT_GRACE, Main::stoppedLate);
        Runtime.getRuntime().addShutdownHook(new Thread(relay::interruptAndWait, "dclient-interrupt"));
        int code = finish(run(args, ctx), ctx, relay);
        System.exit(code);
    }

    /** Flushes what the command printed and tells the relay the process may exit now. */
    static int finish(int code, Context ctx, InterruptRelay relay) {
        ctx.out().flush();
        ctx.err().flush();
        relay.done();
        return code;
    }

    /**
     * The command did not stop within the grace period after Ctrl-C (blocked where an interrupt
     * does not reach, such as reading a terminal). Written straight to the file descriptor: the
     * command's thread may hold the lock of the context's stream.
     */
    private static void stoppedLate() {
        byte[] line = ("\nInterrupted: dclient did not stop within " + INTERRUPT_GRACE.toSeconds()
                + " seconds; its output may be incomplete.\n").getBytes(StandardCharsets.UTF_8);
        try {
            new FileOutputStream(FileDescriptor.err).write(line);
        } catch (IOException ignored) {
            // stderr is gone: nothing to tell
        }
    }

    /**
     * Runs one command line in this process with {@code ctx}: {@link #main} with the real process,
     * the launcher's training run and the in-process tests with their own.
     */
    public static int run(String[] args, Context ctx) {
        Preconnect.start(args, ctx); // first: the connection opens while the rest starts up
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
