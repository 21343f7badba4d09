package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.Session;
import java.time.Duration;

/** The options every command that talks to a server shares, read once for the core. */
public final class Connections {
    private Connections() {}

    /** Opens the instance named by {@code -i}, with {@code --token}, {@code --timeout} and {@code -v}. */
    public static Session.Connection open(Invocation inv, Context ctx) {
        Double seconds = inv.decimal("timeout");
        Duration timeout = seconds == null ? null : new Session(ctx).timeout(seconds); // a bad value fails first
        return Session.open(inv.string("instance"), inv.string("token"), inv.flag("verbose"), timeout, ctx);
    }

    /**
     * The time limit of {@code --timeout SECONDS}, else {@code DCLIENT_TIMEOUT}, else 30 s, for
     * a command that builds its own client ({@code login}).
     */
    public static Duration timeout(Invocation inv, Context ctx) {
        return new Session(ctx).timeout(inv.decimal("timeout"));
    }

    /** The database of {@code -d}, or the resolved default. */
    public static String database(Session.Connection conn, Invocation inv) {
        return conn.database(inv.string("database"));
    }

    /** As {@link #database}, with where the name came from (for messages about it). */
    public static Session.DatabaseName databaseName(Session.Connection conn, Invocation inv) {
        return conn.databaseName(inv.string("database"));
    }
}
