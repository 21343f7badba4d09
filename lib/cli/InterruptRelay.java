package io.datasette.dclient.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C into an interrupt of the thread running the command. On SIGINT the JVM starts
 * shutting down and runs its shutdown hooks, but never interrupts the main thread, so a command
 * used to vanish mid-line with exit 130 and no word about what it left behind. {@link Main}
 * registers {@link #interruptAndWait} as a shutdown hook: it interrupts the command's thread,
 * which sees an {@link InterruptedException} (or a {@code DclientException} of kind
 * {@code INTERRUPTED}) like any other, says what happened (login cancelled, rows confirmed...)
 * and returns; the hook waits for {@link #done} (the output flushed) for at most the grace
 * period, then lets the JVM exit (with 130 after SIGINT). A normal exit calls {@link #done}
 * first, so the hook returns at once.
 *
 * <p>Tests call {@link #interruptAndWait} themselves, standing in for the signal.
 */
public final class InterruptRelay {
    private final Thread target;
    private final Duration grace;
    private final Runnable onTimeout;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean fired = new AtomicBoolean();

    /**
     * @param target the thread running the command
     * @param grace how long the command may take to stop and print after the interrupt
     * @param onTimeout run when it did not finish in time (a last line on stderr), may be null
     */
    public InterruptRelay(Thread target, Duration grace, Runnable onTimeout) {
        this.target = target;
        this.grace = grace;
        this.onTimeout = onTimeout;
    }

    /**
     * The signal arrived: interrupts the command's thread unless it has finished, then waits up
     * to the grace period for it to finish. Returns whether it finished in time. Only the first
     * call interrupts; later ones just wait.
     */
    public boolean interruptAndWait() {
        if (done.getCount() == 0) return true;
        if (fired.compareAndSet(false, true)) target.interrupt();
        try {
            if (done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (onTimeout != null) onTimeout.run();
        return false;
    }

    /** The command has finished and its output is flushed; the process may exit now. */
    public void done() {
        done.countDown();
    }

    /** Whether a signal has interrupted the command. */
    public boolean fired() {
        return fired.get();
    }
}
