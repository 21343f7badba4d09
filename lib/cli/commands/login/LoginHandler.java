package io.datasette.dclient.cli.commands.login;

import io.datasette.dclient.core.login.DeviceFlow;
import io.datasette.dclient.core.login.LoginDefaults;
import io.datasette.dclient.core.login.Scopes;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.auth.TokenRefs;
import io.datasette.dclient.core.auth.TokenUnavailable;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Secrets;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.session.Session;
import io.datasette.dclient.core.text.Durations;
import io.datasette.dclient.core.text.Shell;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dclient login [ALIAS_OR_URL]}: gets a token with the OAuth device flow
 * ({@link DeviceFlow}) and saves it under the alias or URL the user gave, with its expiry in the
 * metadata file; {@code --token-only} prints it instead and saves nothing. Then, like Python
 * dclient, sets a default instance and database when none is set yet. Everything but the token
 * goes to stderr.
 */
public final class LoginHandler implements Handler {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Override
    public int run(Invocation inv, Context ctx) {
        // 1. Scopes first: a mistake there must not cost a request.
        List<List<String>> scopes = Scopes.expand(inv.string("scope"), inv.flag("read-all"), inv.flag("write-all"),
                inv.strings("read"), inv.strings("write"));
        boolean tokenOnly = inv.flag("token-only");
        PrintStream err = ctx.err();

        // 2. Which instance, the key the token is saved under, and where it goes.
        Target target = target(inv, ctx, tokenOnly);
        Duration timeout = io.datasette.dclient.cli.Connections.timeout(inv, ctx);
        TokenStorage storage = storage(inv, ctx, tokenOnly, target.key(), timeout);

        // 3. Ask for a code, show it, and wait for approval.
        PrintStream verbose = inv.flag("verbose") ? err : null;
        DatasetteClient client = new DatasetteClient(ctx.http(), target.url(), null,
                verbose == null ? null : Secrets.masking(verbose, List.of()), timeout, target.key());
        DeviceFlow flow = new DeviceFlow(client, ctx.clock(), ctx.sleeper());
        DeviceFlow.DeviceCode code = flow.start(scopes);
        show(code, inv, ctx);
        DeviceFlow.Grant grant = await(flow, code, rerunCommand(target.key(), inv), ctx);
        Instant expiresAt = grant.expiresIn() == null ? null : ctx.clock().instant().plus(grant.expiresIn());
        String expiry = expiresAt == null ? null
                : "The token expires in " + Durations.exact(grant.expiresIn()) + ", at " + WHEN.format(expiresAt) + ".";

        // 4. Print or save it.
        if (tokenOnly) {
            ctx.out().println(grant.accessToken());
            ctx.out().flush();
            err.println("Login successful. The token was printed, not saved.");
            if (expiry != null) err.println(expiry);
            return 0;
        }
        Credentials credentials = new Credentials(ctx);
        Credentials.Outcome saved;
        try {
            saved = credentials.put(target.key(), grant.accessToken(), storage, true, timeout);
        } catch (TokenUnavailable e) {
            throw e.duringLogin();
        }
        recordExpiry(ctx, target.key(), grant.accessToken(), expiresAt, grant.expiresIn(), saved.replaced());
        CommandLineAdvice.warnLeftBehind(saved.leftBehind(), err);
        err.println("Login successful. Token saved for " + Safe.maskUrl(target.key())
                + (storage == TokenStorage.KEYRING ? " in " + credentials.keyring(timeout).name() : ""));
        if (expiry != null) err.println(expiry);

        // 5. Defaults, as Python dclient sets them. The login has succeeded whatever happens here.
        try {
            LoginDefaults.Outcome o = LoginDefaults.apply(ctx.configDir(),
                    new LoginDefaults.Login(target.key(), target.url(), target.isAlias(), grant.accessToken()),
                    Scopes.databasesOnly(scopes), new LoginDefaults.Listing(ctx.http(), timeout, verbose));
            say(o, err);
        } catch (DclientException e) {
            err.println("Could not set the default instance or database: " + e.message(CommandLineAdvice.WORDS));
        }
        return 0;
    }

    /** The instance logged into: its URL, the key the token is saved under, whether that key is an alias. */
    record Target(String key, String url, boolean isAlias) {}

    /**
     * The instance named (or asked for), checked; unless the token is only printed, a corrupt
     * auth.json or config.json stops the login now, not after the user approved.
     */
    private static Target target(Invocation inv, Context ctx, boolean tokenOnly) {
        String key = inv.string("alias_or_url");
        if (key == null) key = prompt(ctx);
        Target target;
        if (UrlPrefix.isUrl(key)) {
            InstanceUrl.check(key);
            target = new Target(key, key, false);
            if (!tokenOnly) new ConfigStore(ctx.configDir()).load();
        } else {
            target = new Target(key, Session.aliasUrl(new ConfigStore(ctx.configDir()).load(), key), true);
        }
        if (!tokenOnly) new AuthStore(ctx.configDir()).load();
        return target;
    }

    /**
     * Where the token will be saved: {@code --keyring}, {@code --no-keyring}, else the configured
     * default; null with {@code --token-only}. A keyring that clearly cannot be used (its tool
     * missing, no keyring service) stops the login now, before the user approves anything.
     */
    private static TokenStorage storage(Invocation inv, Context ctx, boolean tokenOnly, String key, Duration timeout) {
        boolean keyring = inv.flag("keyring");
        boolean noKeyring = inv.flag("no-keyring");
        if (keyring && noKeyring) throw DclientException.usage("--keyring and --no-keyring cannot be used together");
        if (tokenOnly) {
            if (keyring || noKeyring) {
                throw DclientException.usage("--token-only saves nothing, so --keyring and --no-keyring do not apply");
            }
            return null;
        }
        new TokenRefs(ctx.configDir()).load(); // a corrupt file stops us now, not after approval
        TokenStorage storage = keyring ? TokenStorage.KEYRING : noKeyring ? TokenStorage.FILE
                : Credentials.defaultStorage(new ConfigStore(ctx.configDir()).load());
        if (storage == TokenStorage.KEYRING) {
            try {
                new Credentials(ctx).keyring(timeout).probe(key);
            } catch (TokenUnavailable e) {
                throw e.duringLogin();
            }
        }
        return storage;
    }

    /** Shows the code and the links on stderr, opens the browser unless told not to, and says it waits. */
    private static void show(DeviceFlow.DeviceCode code, Invocation inv, Context ctx) {
        PrintStream err = ctx.err();
        String link = printable(code.prefilledLink());
        err.println();
        err.println("Open this URL in your browser:");
        err.println();
        err.println("    " + printable(code.verificationUri()));
        err.println();
        err.println("Enter this code: " + printable(code.userCode()));
        err.println();
        err.println("Or open this link, which fills in the code for you:");
        err.println();
        err.println("    " + link);
        err.println();
        if (!inv.flag("no-browser") && ctx.env("DCLIENT_NO_BROWSER") == null && openBrowser(ctx, link)) {
            err.println("Opened the link in your browser.");
        }
        String waiting = "Waiting for authorization (the code expires in " + Durations.exact(code.expiresIn())
                + "; Ctrl-C to cancel)...";
        if (ctx.terminal().stderrIsTerminal()) err.print(waiting);
        else err.println(waiting);
        err.flush();
    }

    /** Waits for approval with dots on a terminal; a refusal says how to try {@code again}. */
    private static DeviceFlow.Grant await(DeviceFlow flow, DeviceFlow.DeviceCode code, String again, Context ctx) {
        Waiting waiting = new Waiting(ctx.err(), ctx.terminal().stderrIsTerminal());
        DeviceFlow.Grant grant;
        try {
            grant = flow.await(code, waiting);
        } catch (InterruptedException e) {
            waiting.endLine();
            throw DclientException.interrupted("Login cancelled; nothing was saved.", e);
        } catch (DeviceFlow.Failure f) {
            waiting.endLine();
            throw new DclientException(failureMessage(f, again), f);
        } catch (DclientException e) {
            waiting.endLine();
            throw e;
        }
        waiting.endLine();
        if (Thread.currentThread().isInterrupted()) {
            // Ctrl-C just as the token arrived: keep the promise "nothing was saved"
            throw DclientException.interrupted("Login cancelled; nothing was saved.", new InterruptedException());
        }
        return grant;
    }

    /** {@link LoginDefaults}'s outcome in the command line's words, on stderr. */
    static void say(LoginDefaults.Outcome o, PrintStream err) {
        String pick = o.databaseKey() == null ? null : "dclient default database " + Shell.quote(o.databaseKey()) + " <database>";
        if (!o.choices().isEmpty()) {
            err.println("No default database set: the token is limited to the databases "
                    + String.join(", ", o.choices().stream().map(Shell::quote).toList()) + ". Pick one with: " + pick);
        }
        if (o.noDatabase() != null) {
            err.println("Could not choose a default database (" + o.noDatabase() + "). Set one with: " + pick);
        }
        if (o.instanceSet() != null) err.println("Set default instance to " + Safe.maskUrl(o.instanceSet()));
        if (o.databaseSet() != null) err.println("Set default database to " + o.databaseSet());
    }

    /** Server-supplied text for the terminal, without control characters (no escape sequences). */
    static String printable(String s) {
        return Safe.clean(s == null ? null : s.strip());
    }

    /** Remembers when the token expires and was issued (auth-meta.json), or forgets a stale expiry when the server gave none. */
    private static void recordExpiry(Context ctx, String key, String token, Instant expiresAt, Duration lifetime,
            List<String> replaced) {
        TokenMetadata meta = new TokenMetadata(ctx.configDir(), ctx.err());
        replaced.forEach(meta::remove);
        if (expiresAt != null) {
            meta.put(key, token, expiresAt.getEpochSecond(), expiresAt.minus(lifetime).getEpochSecond());
        }
        else meta.remove(key);
    }

    /** Asks for the instance on stderr and reads one line of stdin (works when stdin is a pipe, too). */
    private static String prompt(Context ctx) {
        PrintStream err = ctx.err();
        boolean terminal = ctx.terminal().stdinIsTerminal();
        if (terminal) {
            err.println("Enter the URL of your Datasette instance, or an alias you have");
            err.println("already configured with 'dclient alias add'.");
            err.println();
        }
        err.print("Instance URL or alias: ");
        err.flush();
        String line = ctx.readLine();
        if (!terminal) err.println();
        String value = line == null ? "" : line.strip();
        if (value.isEmpty()) {
            throw new DclientException("No instance given. Run: dclient login <url-or-alias>");
        }
        return value;
    }

    private static boolean openBrowser(Context ctx, String link) {
        try {
            return ctx.browser().open(link);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String failureMessage(DeviceFlow.Failure f, String again) {
        String run = "Run " + again + " again.";
        return switch (f.reason()) {
            case DENIED -> "Authorization denied. If that was a mistake, run " + again + " again.";
            case EXPIRED -> f.detail() == null
                    ? "The code expired before it was approved. " + run
                    : "The code expired before it was approved; the server could not be reached (last error: "
                            + f.detail() + "). " + run;
            case INVALID_GRANT -> "The login session is no longer valid (the server answered invalid_grant). " + run;
            case UNEXPECTED -> "Unexpected answer while waiting for approval: " + f.detail() + ". " + run;
        };
    }

    /** {@code dclient login KEY} plus the scope options given, quoted for a POSIX shell. */
    static String rerunCommand(String key, Invocation inv) {
        List<String> words = new ArrayList<>(List.of("dclient", "login", key));
        if (inv.string("scope") != null) words.addAll(List.of("--scope", inv.string("scope")));
        if (inv.flag("read-all")) words.add("--read-all");
        if (inv.flag("write-all")) words.add("--write-all");
        for (String r : inv.strings("read")) words.addAll(List.of("--read", r));
        for (String w : inv.strings("write")) words.addAll(List.of("--write", w));
        if (inv.flag("token-only")) words.add("--token-only");
        if (inv.flag("keyring")) words.add("--keyring");
        if (inv.flag("no-keyring")) words.add("--no-keyring");
        List<String> quoted = new ArrayList<>();
        for (String w : words) quoted.add(Shell.quote(w));
        return String.join(" ", quoted);
    }

    /** Dots while waiting (terminal only), and notes about slow-downs and network trouble. */
    private static final class Waiting implements DeviceFlow.Listener {
        private final PrintStream err;
        private final boolean dots;
        private boolean midLine;

        Waiting(PrintStream err, boolean dots) {
            this.err = err;
            this.dots = dots;
            this.midLine = dots;
        }

        @Override
        public void polled() {
            if (!dots) return;
            err.print(".");
            err.flush();
            midLine = true;
        }

        @Override
        public void slowedDown(Duration interval) {
            note("The server asked to poll less often; now every " + interval.toSeconds() + " s.");
        }

        @Override
        public void networkError(String message, Duration retryIn) {
            note(message + " Retrying in " + retryIn.toSeconds() + " s.");
        }

        private void note(String text) {
            endLine();
            err.println(text);
            err.flush();
        }

        void endLine() {
            if (midLine) err.println();
            midLine = false;
            err.flush();
        }
    }
}
