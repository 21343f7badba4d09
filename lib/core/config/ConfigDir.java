package io.datasette.dclient.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where config.json and auth.json live: {@code DCLIENT_CONFIG_DIR}, else the directory
 * click's {@code get_app_dir("io.datasette.dclient")} gives Python dclient, so both clients
 * share their files.
 */
public final class ConfigDir {
    public static final String APP = "io.datasette.dclient";

    private ConfigDir() {}

    public static Path resolve(Map<String, String> env, Map<String, String> system) {
        String override = env.get("DCLIENT_CONFIG_DIR");
        if (override != null && !override.isEmpty()) return Path.of(override);
        String os = system.getOrDefault("os.name", "").toLowerCase(Locale.ROOT);
        // click expands "~" with $HOME, which can differ from Java's user.home (the passwd entry).
        String home = nonEmpty(env.get("HOME"), system.get("user.home"));
        if (os.startsWith("windows")) {
            // Python's expanduser("~") on Windows reads USERPROFILE, not HOME
            String appData = nonEmpty(env.get("APPDATA"), nonEmpty(env.get("USERPROFILE"), system.get("user.home")));
            return Path.of(appData, APP);
        }
        if (os.startsWith("mac")) return Path.of(home, "Library", "Application Support", APP);
        // click treats an empty XDG_CONFIG_HOME as a relative path; we treat it as unset.
        String xdg = env.get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg, APP) : Path.of(home, ".config", APP);
    }

    private static String nonEmpty(String a, String b) {
        return a != null && !a.isEmpty() ? a : (b == null ? "" : b);
    }
}
