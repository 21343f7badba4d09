package io.datasette.dclient.api;

import io.datasette.dclient.core.Context;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@link Datasette#open} and {@link Tokens#open} read the environment and system
 * properties from: the real process, unless a test in this package stands in for it.
 */
final class Environment {
    private static volatile Environment override;

    final Map<String, String> env;
    final Map<String, String> system;

    Environment(Map<String, String> env, Map<String, String> system) {
        this.env = Map.copyOf(env);
        this.system = Map.copyOf(system);
    }

    static Environment current() {
        Environment o = override;
        if (o != null) return o;
        return new Environment(System.getenv(), Map.of(
                "user.home", System.getProperty("user.home", ""),
                "os.name", System.getProperty("os.name", "")));
    }

    /** Tests only: makes {@link #current()} answer {@code e} (null restores the real process). */
    static void override(Environment e) {
        override = e;
    }

    /**
     * A CLI {@link Context} for library use: no standard streams (a library prints nothing),
     * stderr only when {@code verbose} is given.
     */
    static Context context(Map<String, String> env, Map<String, String> system, Path configDir, HttpClient http,
            PrintStream verbose) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return Context.builder().out(nowhere).err(verbose != null ? verbose : nowhere)
                .env(env).system(system).configDir(configDir).http(http).build();
    }
}
