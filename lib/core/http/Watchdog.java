package io.datasette.dclient.core.http;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;

final class Watchdog {
    private static final Object LOCK = new Object();
    private static final java.util.List<Guard> ACTIVE = new java.util.ArrayList<>();
    private static Thread thread;
    /** When the thread wakes next, if it sleeps with a time limit ({@code timed}). */
    private static long wakeAt;
    private static boolean timed;

    /** A write in progress. */
    static final class Guard {
        final SocketChannel ch;
        final long deadline;
        volatile boolean fired;

        Guard(SocketChannel ch, long deadline) {
            this.ch = ch;
            this.deadline = deadline;
        }

        boolean fired() {
            return fired;
        }
    }

    private Watchdog() {}

    static Guard arm(SocketChannel ch, long deadline) {
        Guard g = new Guard(ch, deadline);
        synchronized (LOCK) {
            ACTIVE.add(g);
            if (thread == null) {
                thread = new Thread(Watchdog::run, "dclient-http-watchdog");
                thread.setDaemon(true);
                thread.start();
            } else if (!timed || deadline - wakeAt < 0) {
                LOCK.notifyAll();
            }
        }
        return g;
    }

    static void disarm(Guard g) {
        synchronized (LOCK) {
            ACTIVE.remove(g);
        }
    }

    private static void run() {
        java.util.List<Guard> due = new java.util.ArrayList<>();
        while (true) {
            synchronized (LOCK) {
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (int i = ACTIVE.size() - 1; i >= 0; i--) {
                    Guard g = ACTIVE.get(i);
                    if (g.deadline - now <= 0) {
                        ACTIVE.remove(i);
                        g.fired = true;
                        due.add(g);
                    } else if (next == Long.MAX_VALUE || g.deadline - next < 0) {
                        next = g.deadline;
                    }
                }
                if (due.isEmpty()) {
                    timed = next != Long.MAX_VALUE;
                    wakeAt = next;
                    try {
                        if (next == Long.MAX_VALUE) {
                            LOCK.wait();
                        } else {
                            LOCK.wait(Math.max(1, (next - now + 999_999) / 1_000_000));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            for (Guard g : due) {
                try {
                    g.ch.close();
                } catch (IOException e) {
                    // closing: nothing to do
                }
            }
            due.clear();
        }
    }
}
