package io.datasette.dclient.core.io;

import io.datasette.dclient.core.io.Browser;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Opens a URL with the desktop's opener ({@code $BROWSER}, {@code open}, {@code xdg-open},
 * {@code rundll32}) when there is a display; never throws and never waits long.
 */
public final class SystemBrowser {
    private SystemBrowser() {}

    public static Browser create(Map<String, String> env, Map<String, String> system) {
        String os = system.getOrDefault("os.name", "").toLowerCase(Locale.ROOT);
        return url -> {
            if (!url.startsWith("http://") && !url.startsWith("https://")) return false;
            List<String> cmd;
            String custom = env.get("BROWSER");
            if (custom != null && !custom.isBlank()) {
                cmd = List.of(custom, url);
            } else if (os.startsWith("mac")) {
                cmd = List.of("open", url);
            } else if (os.startsWith("windows")) {
                cmd = List.of("rundll32", "url.dll,FileProtocolHandler", url);
            } else {
                boolean display = notEmpty(env.get("DISPLAY")) || notEmpty(env.get("WAYLAND_DISPLAY"));
                if (!display) return false;
                cmd = List.of("xdg-open", url);
            }
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return !p.waitFor(3, TimeUnit.SECONDS) || p.exitValue() == 0;
            } catch (Exception e) {
                return false;
            }
        };
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
