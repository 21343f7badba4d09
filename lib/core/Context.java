package io.datasette.dclient.core;

import io.datasette.dclient.core.config.ConfigDir;
import io.datasette.dclient.core.http.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a handler may touch outside itself: streams, environment, clock, sleeper,
 * terminal, browser, HTTP client and config directory. Tests build one with {@link #builder()}.
 */
public final class Context {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final Map<String, String> system;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Terminal terminal;
    private final Browser browser;
    private final Path configDir;
    private HttpClient http;
    private BufferedReader lines;

    private Context(Builder b) {
        this.out = Objects.requireNonNull(b.out);
        this.err = Objects.requireNonNull(b.err);
        this.in = b.in == null ? InputStream.nullInputStream() : b.in;
        this.env = Map.copyOf(b.env);
        this.system = Map.copyOf(b.system);
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.terminal = b.terminal;
        this.browser = b.browser;
        this.configDir = b.configDir;
        this.http = b.http;
    }

    /** The real process: System streams, environment and properties. */
    public static Context system() {
        Map<String, String> props = Map.of(
                "user.home", System.getProperty("user.home", ""),
                "os.name", System.getProperty("os.name", ""));
        return builder()
                .out(new PrintStream(new java.io.BufferedOutputStream(
                        new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8))
                .err(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8))
                .in(System.in)
                .env(System.getenv())
                .system(props)
                .terminal(Terminal.system())
                .browser(io.datasette.dclient.core.login.SystemBrowser.create(System.getenv(), props))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Map<String, String> env() {
        return env;
    }

    /** An environment variable, or null when unset or empty. */
    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Browser browser() {
        return browser;
    }

    /** {@code DCLIENT_CONFIG_DIR}, else the per-OS directory Python dclient uses. */
    public Path configDir() {
        return configDir != null ? configDir : ConfigDir.resolve(env, system);
    }

    public synchronized HttpClient http() {
        if (http == null) http = Http.newClient(env);
        return http;
    }

    /**
     * Reads one line of standard input (without the line break), or null at end of input.
     * Shares one reader so several prompts in a row each get their own line.
     */
    public synchronized String readLine() {
        try {
            if (lines == null) lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return lines.readLine();
        } catch (IOException e) {
            throw new DclientException("Could not read standard input: " + e.getMessage());
        }
    }

    /** Builder; defaults are safe for tests (no terminal, no browser, empty environment). */
    public static final class Builder {
        private PrintStream out;
        private PrintStream err;
        private InputStream in;
        private Map<String, String> env = Map.of();
        private Map<String, String> system = Map.of();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.REAL;
        private Terminal terminal = Terminal.NONE;
        private Browser browser = Browser.NONE;
        private Path configDir;
        private HttpClient http;

        public Builder out(PrintStream v) {
            out = v;
            return this;
        }

        public Builder err(PrintStream v) {
            err = v;
            return this;
        }

        public Builder in(InputStream v) {
            in = v;
            return this;
        }

        public Builder env(Map<String, String> v) {
            env = v;
            return this;
        }

        public Builder system(Map<String, String> v) {
            system = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public Builder sleeper(Sleeper v) {
            sleeper = v;
            return this;
        }

        public Builder terminal(Terminal v) {
            terminal = v;
            return this;
        }

        public Builder browser(Browser v) {
            browser = v;
            return this;
        }

        public Builder configDir(Path v) {
            configDir = v;
            return this;
        }

        public Builder http(HttpClient v) {
            http = v;
            return this;
        }

        public Context build() {
            return new Context(this);
        }
    }
}
