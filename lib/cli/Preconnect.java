package io.datasette.dclient.cli;

import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import java.io.IOException;
import java.nio.file.Files;
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
 * Nothing is sent on the connection before the command sends its request. When the instance is
 * likely {@code https://}, the TLS set-up (about 55 ms of CPU in a fresh JVM) starts even before
 * the config is parsed.
 */
final class Preconnect {
    /** Commands that never reach an instance (auth status does). */
    private static final Set<String> LOCAL = Set.of("alias", "instances", "default", "completion", "help");

    private Preconnect() {}

    /**
     * Whether the instance is likely to be {@code https://}, judged without parsing anything: the
     * URL given, {@code DATASETTE_URL}, or any {@code https://} in config.json. A wrong guess costs
     * a TLS set-up on the other core, never a wrong connection.
     */
    private static boolean likelyHttps(String instance, Context ctx) {
        if (instance != null && UrlPrefix.isUrl(instance)) return instance.regionMatches(true, 0, "https://", 0, 8);
        String env = ctx.env("DATASETTE_URL");
        if (instance == null && env != null && env.regionMatches(true, 0, "https://", 0, 8)) return true;
        try {
            return Files.readString(ctx.configDir().resolve("config.json")).contains("https://");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

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
            if (likelyHttps(instance, ctx)) ctx.http().prepareTls(); // before the config is read: it takes as long
            Instance resolved = new Session(ctx).instance(instance);
            ctx.http().preconnect(URI.create(resolved.url()));
        } catch (RuntimeException e) {
            // the command will meet the same problem and say it in its own words
        }
    }
}
