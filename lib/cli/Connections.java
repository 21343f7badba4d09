package io.datasette.dclient.cli;

import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.session.Session;

/** The options every command that talks to a server shares, read once for the core. */
public final class Connections {
    private Connections() {}

    /** Opens the instance named by {@code -i}, with {@code --token} and {@code -v}. */
    public static Session.Connection open(Invocation inv, Context ctx) {
        return Session.open(inv.string("instance"), inv.string("token"), inv.flag("verbose"), ctx);
    }

    /** The database of {@code -d}, or the resolved default. */
    public static String database(Session.Connection conn, Invocation inv) {
        return conn.database(inv.string("database"));
    }
}
