package io.datasette.dclient.cli;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.Session;
import java.time.Duration;

/** The options every command that talks to a server shares, read once for the core. */
public final class Connections {
    private Connections() {}

    /** Opens the instance named by {@code -i}, with {@code --token}, {@code --timeout} and {@code -v}. */
    public static Session.Connection open(Invocation inv, Context ctx) {
        Duration timeout = option(inv.decimal("timeout")); // a bad value fails first
        return Session.open(inv.string("instance"), inv.string("token"), inv.flag("verbose"), timeout, ctx);
    }

    /**
     * The time limit of {@code --timeout SECONDS}, else {@code DCLIENT_TIMEOUT}, else 30 s, for
     * a command that builds its own client ({@code login}).
     */
    public static Duration timeout(Invocation inv, Context ctx) {
        Duration option = option(inv.decimal("timeout"));
        return option != null ? option : new Session(ctx).timeout();
    }

    /**
     * {@code --timeout} alone: null when not given (the core then reads {@code DCLIENT_TIMEOUT}
     * only if it needs a limit at all, as for a token kept in the keyring or a command).
     */
    public static Duration timeoutOption(Invocation inv) {
        return option(inv.decimal("timeout"));
    }

    /** {@code --timeout}'s value as a time limit; null when not given; a usage error unless positive. */
    private static Duration option(Double seconds) {
        if (seconds == null) return null;
        Duration d = Session.timeLimit(seconds);
        if (d == null) throw DclientException.usage("--timeout must be a positive number of seconds");
        return d;
    }

    /** The database of {@code -d}, or the resolved default, with where the name came from (for messages about it). */
    public static Session.DatabaseName databaseName(Session.Connection conn, Invocation inv) {
        return conn.databaseName(inv.string("database"));
    }
}
