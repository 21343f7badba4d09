package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.Instance;
import io.datasette.dclient.core.session.Session;
import java.net.URI;
import java.util.Set;

/**
 * Opens the connection to the command's instance (TCP, TLS, a proxy tunnel) on a second thread
 * while this one parses the command line, so the first request finds it ready: a TLS handshake
 * in a fresh JVM costs about as much CPU as all the rest of a small command, and the machine
 * has a second core. Only the instance is guessed here (from {@code -i}, {@code login}'s
 * argument, or the defaults, as {@link Session} resolves them); a wrong guess or any failure
 * costs a connection that is never used, and the command then reports what it finds itself.
 * Nothing is sent on the connection before the command sends its request.
 */
final class Preconnect {
    /** Commands that never reach an instance (auth status does). */
    private static final Set<String> LOCAL = Set.of("alias", "instances", "default", "completion", "help");

    private Preconnect() {}

    static void start(String[] args, Context ctx) {
        if (args.length == 0 || LOCAL.contains(args[0]) || args[0].startsWith("-")) return;
        if (args[0].equals("auth") && !(args.length > 1 && args[1].equals("status"))) return;
        String instance = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h") || a.equals("--")) return;
            if ((a.equals("-i") || a.equals("--instance")) && i + 1 < args.length) instance = args[i + 1];
            else if (a.startsWith("--instance=")) instance = a.substring("--instance=".length());
            else if (a.startsWith("-i") && a.length() > 2 && !a.startsWith("--")) instance = a.substring(2);
        }
        if (instance == null && args[0].equals("login") && args.length > 1 && !args[1].startsWith("-")) instance = args[1];
        try {
            Instance resolved = new Session(ctx).instance(instance);
            ctx.http().preconnect(URI.create(resolved.url()));
        } catch (RuntimeException e) {
            // the command will meet the same problem and say it in its own words
        }
    }
}
