package io.datasette.dclient.core.io;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.ConfigDir;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.core.http.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a handler may touch outside itself: streams, environment, clock, sleeper,
 * terminal, browser, HTTP transport and config directory. Tests build one with {@link #builder()}.
 */
public final class Context {
    private final PrintStream out;
    private final Stdout stdout;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final Map<String, String> system;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Terminal terminal;
    private final Browser browser;
    private final Path configDir;
    private final Processes processes;
    private final java.util.Set<String> revealed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Transport http;
    private BufferedReader lines;

    private Context(Builder b) {
        this.out = Objects.requireNonNull(b.out);
        this.stdout = b.stdout;
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
        this.processes = b.processes != null ? b.processes : new SystemProcesses(isWindows(this.system));
    }

    private static boolean isWindows(Map<String, String> system) {
        return system.getOrDefault("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    /**
     * The real process for the command line: System streams, environment and properties. This
     * class and {@code cli.Main} (which exits) are the only ones that touch {@code System.*}
     * (ArchitectureTest checks it); everything else gets its streams, environment, clock and
     * terminal from a context.
     */
    public static Context system() {
        Map<String, String> env = processEnvironment();
        Map<String, String> props = processProperties();
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        return builder()
                .stdout(Stdout.of(new java.io.FileOutputStream(java.io.FileDescriptor.out).getChannel()))
                .err(err)
                .in(System.in)
                .env(env)
                .system(props)
                .terminal(systemTerminal(System.in, err))
                .browser(io.datasette.dclient.core.io.SystemBrowser.create(env, props))
                .build();
    }

    /**
     * A context for the Java library: no standard streams (a library prints nothing; stderr only
     * when {@code verbose} is given), no terminal, and the process environment unless {@code env}
     * stands in for it. {@code configDir} and {@code http} may be null (the defaults).
     */
    public static Context library(Map<String, String> env, Path configDir, Transport http, PrintStream verbose) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return builder().out(nowhere).err(verbose != null ? verbose : nowhere)
                .env(env != null ? env : processEnvironment()).system(processProperties())
                .configDir(configDir).http(http).build();
    }

    private static Map<String, String> processEnvironment() {
        return System.getenv();
    }

    private static Map<String, String> processProperties() {
        return Map.of("user.home", System.getProperty("user.home", ""), "os.name", System.getProperty("os.name", ""));
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

    /**
     * Standard output as a stream that throws when a write fails (the print stream of
     * {@link #out} swallows failures), for copying bytes to it; {@link #out} itself when the
     * context was built without a {@link Stdout}.
     */
    public OutputStream outStream() {
        return stdout != null ? stdout : out;
    }

    /** The hook a row writer calls at the end of each row it prints (so a failed write can say how many got out). */
    public Stdout.RowEnds countRows() {
        return stdout != null ? stdout.countRows() : Stdout.RowEnds.NONE;
    }

    /** The first write to standard output that failed, or null (also when it cannot be known). */
    public Stdout.Failure outputFailure() {
        return stdout != null ? stdout.failure() : null;
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

    /** The JVM's {@code os.name} (from the injected properties; empty when not given). */
    public String osName() {
        return system.getOrDefault("os.name", "");
    }

    /** Runs other programs (keyring tools, credential commands), with {@link #env()} as their environment. */
    public Processes processes() {
        return processes;
    }

    /**
     * Notes a token read from outside dclient's files (the keyring, a credential command) in
     * this run, so an error message that happens to repeat it is masked like any known token.
     */
    public void revealed(String secret) {
        if (secret != null && !secret.isBlank()) revealed.add(secret.strip());
    }

    /** The secrets {@link #revealed} so far. */
    public java.util.Set<String> revealedSecrets() {
        return java.util.Set.copyOf(revealed);
    }

    /** The transport for this environment's proxies and trusted certificates, built on first use. */
    public synchronized Transport http() {
        if (http == null) http = SocketTransport.fromEnv(env);
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

    /**
     * The real terminal. Java 17 only offers a console when stdin and stdout are both terminals,
     * so the launcher, which can test each stream cheaply, passes {@code -Ddclient.stdinTty} and
     * {@code -Ddclient.stderrTty}; without them the console decides for both.
     */
    private static Terminal systemTerminal(java.io.InputStream in, PrintStream err) {
        java.io.Console console = System.console();
        boolean consoleTty = console != null && isTerminal(console);
        boolean stdinTty = flag("dclient.stdinTty", consoleTty);
        boolean stderrTty = flag("dclient.stderrTty", consoleTty);
        return new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return stdinTty;
            }

            @Override
            public boolean stderrIsTerminal() {
                return stderrTty;
            }

            @Override
            public String readSecret(String prompt) {
                if (consoleTty) {
                    char[] chars = console.readPassword("%s", prompt);
                    return chars == null ? null : new String(chars);
                }
                return stdinTty ? readWithoutEcho(prompt, in, err) : null;
            }
        };
    }

    private static boolean flag(String property, boolean fallback) {
        String v = System.getProperty(property);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** stdin is a terminal but stdout is not (so there is no Console): turn echo off with stty. */
    private static String readWithoutEcho(String prompt, java.io.InputStream in, PrintStream err) {
        err.print(prompt);
        err.flush();
        boolean echoOff = stty("-echo");
        try {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (c != '\r') sb.append((char) c);
            }
            return new String(sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        } finally {
            if (echoOff) stty("echo");
            err.println();
        }
    }

    private static boolean stty(String mode) {
        try {
            Process p = new ProcessBuilder("stty", mode).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isTerminal(java.io.Console console) {
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, System.console() is null unless both ends are a terminal
        }
    }

    /** Builder; defaults are safe for tests (no terminal, no browser, empty environment). */
    public static final class Builder {
        private PrintStream out;
        private Stdout stdout;
        private PrintStream err;
        private InputStream in;
        private Map<String, String> env = Map.of();
        private Map<String, String> system = Map.of();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.REAL;
        private Terminal terminal = Terminal.NONE;
        private Browser browser = Browser.NONE;
        private Path configDir;
        private Transport http;
        private Processes processes;

        public Builder processes(Processes v) {
            processes = v;
            return this;
        }

        public Builder out(PrintStream v) {
            out = v;
            stdout = null;
            return this;
        }

        /** Standard output that reports failed writes (see {@link Context#outputFailure}); {@link Context#out} prints to it. */
        public Builder stdout(Stdout v) {
            stdout = v;
            out = new PrintStream(v, false, StandardCharsets.UTF_8);
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

        public Builder http(Transport v) {
            http = v;
            return this;
        }

        public Context build() {
            return new Context(this);
        }
    }
}
