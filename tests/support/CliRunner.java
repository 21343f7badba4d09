package io.datasette.dclient.testing;

import io.datasette.dclient.core.io.Browser;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Main;
import io.datasette.dclient.core.io.Sleeper;
import io.datasette.dclient.core.io.Stdout;
import io.datasette.dclient.core.io.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs dclient in-process, isolated from the real user: a temp config dir, an environment that
 * holds only what the test sets, no terminal, no browser, and (by default) a sleeper that
 * fails the test if anything tries to really sleep.
 */
public final class CliRunner {
    /** What one run produced. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private final Path configDir;
    private final Map<String, String> env = new HashMap<>();
    private String stdin = "";
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = d -> {
        throw new AssertionError("unexpected real sleep of " + d);
    };
    private Terminal terminal = Terminal.NONE;
    private Browser browser = Browser.NONE;
    private String os = "Linux";
    private Context lastContext;
    private io.datasette.dclient.core.http.Transport transport;
    private Stdout.Sink stdoutSink;

    public CliRunner(Path configDir) {
        this.configDir = configDir;
        env.put("DCLIENT_CONFIG_DIR", configDir.toString());
    }

    public Path configDir() {
        return configDir;
    }

    public CliRunner env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public CliRunner stdin(String text) {
        stdin = text;
        return this;
    }

    public CliRunner clock(Clock c) {
        clock = c;
        return this;
    }

    public CliRunner sleeper(Sleeper s) {
        sleeper = s;
        return this;
    }

    public CliRunner terminal(Terminal t) {
        terminal = t;
        return this;
    }

    /** The {@code os.name} the run sees (default Linux): picks the keyring, among others. */
    public CliRunner os(String name) {
        os = name;
        return this;
    }

    public CliRunner browser(Browser b) {
        browser = b;
        return this;
    }

    /** The transport commands use (default: the real one, built from the environment). */
    public CliRunner transport(io.datasette.dclient.core.http.Transport t) {
        transport = t;
        return this;
    }

    /**
     * Where {@link #run}'s stdout goes before it is captured: a sink that fails (a full disk, a
     * closed pipe); {@link Result#out} holds what it took. By default every byte is taken.
     */
    public CliRunner stdout(Stdout.Sink sink) {
        stdoutSink = sink;
        return this;
    }

    /** A context like the one {@link #run} uses, writing to the given streams (for handler unit tests). */
    public Context context(PrintStream out, PrintStream err) {
        return builder(err).out(out).build();
    }

    private Context.Builder builder(PrintStream err) {
        return Context.builder().err(err)
                .in(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .env(env).system(Map.of("user.home", configDir.resolve("home").toString(), "os.name", os))
                .clock(clock).sleeper(sleeper).terminal(terminal).browser(browser)
                .configDir(configDir).http(transport);
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        // stdout as the command line has it: buffered, its failures reported
        Stdout.Sink sink = stdoutSink;
        Stdout o = new Stdout((b, off, len) -> {
            int n = sink == null ? len : sink.write(b, off, len);
            out.write(b, off, n);
            return n;
        });
        lastContext = builder(e).stdout(o).build();
        int code = Main.run(args, lastContext);
        lastContext.out().flush();
        e.flush();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
