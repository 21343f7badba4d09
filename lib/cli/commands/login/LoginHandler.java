package io.datasette.dclient.cli.commands.login;

import io.datasette.dclient.core.login.DeviceFlow;
import io.datasette.dclient.core.login.Scopes;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.auth.Storage;
import io.datasette.dclient.core.auth.TokenRefs;
import io.datasette.dclient.cli.TokenAdvice;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.data.Catalog;
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
        boolean verbose = inv.flag("verbose");
        PrintStream err = ctx.err();

        // 2. Which instance, and the key the token is saved under.
        String target = inv.string("alias_or_url");
        if (target == null) target = prompt(ctx);
        String key = target;
        String url;
        Config config = null;
        if (UrlPrefix.isUrl(target)) {
            DatasetteClient.parseUrl(target);
            url = target;
        } else {
            config = new ConfigStore(ctx.configDir()).load();
            Config.Instance alias = config.instance(target);
            if (alias == null) {
                throw new DclientException("Unknown instance: " + target
                        + ". Use a URL, or add the alias: dclient alias add " + Shell.quote(target) + " <url>");
            }
            url = alias.url();
            DatasetteClient.parseUrl(url);
        }
        boolean keyring = inv.flag("keyring");
        boolean noKeyring = inv.flag("no-keyring");
        if (keyring && noKeyring) throw DclientException.usage("--keyring and --no-keyring cannot be used together");
        if (tokenOnly && (keyring || noKeyring)) {
            throw DclientException.usage("--token-only saves nothing, so --keyring and --no-keyring do not apply");
        }
        Duration timeout = io.datasette.dclient.cli.Connections.timeout(inv, ctx);
        Storage storage = null;
        if (!tokenOnly) {
            // A corrupt auth.json or config.json, or a keyring that cannot be used, should stop us
            // now, not after the user approved.
            new AuthStore(ctx.configDir()).load();
            new TokenRefs(ctx.configDir()).load();
            Config current = config != null ? config : new ConfigStore(ctx.configDir()).load();
            storage = keyring ? Storage.KEYRING : noKeyring ? Storage.FILE : Credentials.defaultStorage(current);
            if (storage == Storage.KEYRING) new Credentials(ctx).keyring(timeout).probe(key);
        }
        String again = rerunCommand(key, inv);

        // 3. Ask for a code and show it.
        DatasetteClient client = new DatasetteClient(ctx.http(), url, null, verbose ? err : null, timeout, key);
        DeviceFlow flow = new DeviceFlow(client, ctx.clock(), ctx.sleeper());
        DeviceFlow.DeviceCode code = flow.start(scopes);
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
        boolean dots = ctx.terminal().stderrIsTerminal();
        String waiting = "Waiting for authorization (the code expires in " + Durations.exact(code.expiresIn())
                + "; Ctrl-C to cancel)...";
        if (dots) err.print(waiting);
        else err.println(waiting);
        err.flush();

        // 4. Wait for approval.
        Progress progress = new Progress(err, dots);
        DeviceFlow.Grant grant;
        try {
            grant = flow.await(code, progress);
        } catch (InterruptedException e) {
            progress.endLine();
            throw DclientException.interrupted("Login cancelled; nothing was saved.", e);
        } catch (DeviceFlow.Failure f) {
            progress.endLine();
            throw new DclientException(failureMessage(f, again), f);
        } catch (DclientException e) {
            progress.endLine();
            throw e;
        }
        progress.endLine();
        if (Thread.currentThread().isInterrupted()) {
            // Ctrl-C just as the token arrived: keep the promise "nothing was saved"
            throw DclientException.interrupted("Login cancelled; nothing was saved.", new InterruptedException());
        }
        Instant expiresAt = grant.expiresIn() == null ? null : ctx.clock().instant().plus(grant.expiresIn());
        String expiry = expiresAt == null ? null
                : "The token expires in " + Durations.exact(grant.expiresIn()) + ", at " + WHEN.format(expiresAt) + ".";

        // 5. Print or save it.
        if (tokenOnly) {
            ctx.out().println(grant.accessToken());
            ctx.out().flush();
            err.println("Login successful. The token was printed, not saved.");
            if (expiry != null) err.println(expiry);
            return 0;
        }
        Credentials credentials = new Credentials(ctx);
        Credentials.Outcome saved = credentials.put(key, grant.accessToken(), storage, true, timeout);
        recordExpiry(ctx, key, grant.accessToken(), expiresAt, grant.expiresIn(), saved.replaced());
        TokenAdvice.warnLeftBehind(saved, err);
        err.println("Login successful. Token saved for " + key
                + (storage == Storage.KEYRING ? " in " + credentials.keyring(timeout).name() : ""));
        if (expiry != null) err.println(expiry);

        // 6. Defaults, as Python dclient sets them (without its bug 16). The login has succeeded
        // whatever happens here.
        try {
            setDefaults(ctx, key, url, config != null, grant.accessToken(), Scopes.databasesOnly(scopes), timeout,
                    verbose);
        } catch (DclientException e) {
            err.println("Could not set the default instance or database: " + e.getMessage());
        }
        return 0;
    }

    /** Server-supplied text for the terminal, without control characters (no escape sequences). */
    static String printable(String s) {
        return s.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
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

    /**
     * Python dclient's step 9: with no default instance, the logged-in instance becomes the
     * default; when the default instance (now, or already) is this instance and has no default
     * database, pick one of the databases the new token sees ({@link Catalog.Listing#VISIBLE}:
     * the only one, else {@code data}, else the first). Unlike Python, a default instance that points elsewhere is
     * left alone, and no database is written onto a non-default instance. Failures only produce a
     * note: the login itself has succeeded. A token whose scope is limited to databases
     * ({@link Scopes#databasesOnly}, e.g. {@code --read fixtures}) cannot list the instance, so
     * the server is not asked: one database becomes the default; several are named, with the
     * command that picks one.
     */
    private static void setDefaults(Context ctx, String key, String url, boolean keyIsAlias, String token,
            List<String> scopeDbs, Duration timeout, boolean verbose) {
        PrintStream err = ctx.err();
        ConfigStore store = new ConfigStore(ctx.configDir());
        Config c = store.load();
        String instanceKey = keyIsAlias ? key : firstNonNull(c.aliasForUrl(url), key);
        String def = c.defaultInstance();
        String dbKey;
        if (def == null) {
            dbKey = instanceKey;
        } else if (sameInstance(c, def, url)) {
            dbKey = c.instance(def) != null ? def : firstNonNull(c.aliasForUrl(def), def);
        } else {
            return; // the default instance is another one: leave the defaults as they are
        }
        boolean needInstance = def == null;
        Config.Instance entry = c.instance(dbKey);
        boolean needDb = entry == null || entry.defaultDatabase() == null || entry.defaultDatabase().isEmpty();
        if (!needInstance && !needDb) return;

        String db = null;
        if (needDb && scopeDbs.size() == 1) {
            db = scopeDbs.get(0); // a token limited to one database: that one, without asking
        } else if (needDb && scopeDbs.size() > 1) {
            err.println("No default database set: the token is limited to the databases "
                    + String.join(", ", scopeDbs.stream().map(Shell::quote).toList())
                    + ". Pick one with: dclient default database " + Shell.quote(dbKey) + " <database>");
        } else if (needDb) {
            String why;
            try {
                DatasetteClient client = new DatasetteClient(ctx.http(), url, token, verbose ? err : null, timeout, key);
                db = pickDatabase(Catalog.databaseNames(client, Catalog.Listing.VISIBLE));
                why = db == null ? "the new token sees no databases" : null;
            } catch (DclientException e) {
                why = e.getMessage();
            }
            if (db == null) {
                err.println("Could not choose a default database (" + why + "). Set one with: dclient default database "
                        + Shell.quote(dbKey) + " <database>");
            }
        }
        String chosenDb = db;
        String instanceUrl = Config.stripSlash(url);
        List<String> said = store.update(cfg -> {
            List<String> lines = new ArrayList<>();
            if (needInstance && cfg.defaultInstance() == null) {
                if (cfg.instance(instanceKey) == null) cfg.putInstance(instanceKey, instanceUrl);
                cfg.setDefaultInstance(instanceKey);
                lines.add("Set default instance to " + instanceKey);
            }
            if (chosenDb != null) {
                if (cfg.instance(dbKey) == null) {
                    cfg.putInstance(dbKey, UrlPrefix.isUrl(dbKey) ? Config.stripSlash(dbKey) : instanceUrl);
                }
                Config.Instance now = cfg.instance(dbKey);
                if (now.defaultDatabase() == null || now.defaultDatabase().isEmpty()) {
                    cfg.setDefaultDatabase(dbKey, chosenDb);
                    lines.add("Set default database to " + chosenDb);
                }
            }
            return lines;
        });
        said.forEach(err::println);
    }

    /** Whether the default instance {@code def} (an alias or a URL) is the instance at {@code url}. */
    private static boolean sameInstance(Config c, String def, String url) {
        Config.Instance i = c.instance(def);
        String defUrl = i != null ? i.url() : (UrlPrefix.isUrl(def) ? def : null);
        return defUrl != null && Config.stripSlash(defUrl).equals(Config.stripSlash(url));
    }

    /** Database names from a {@code /.json} body of any shape ({@link Catalog#databaseEntries}). */
    static List<String> databaseNames(JsonNode body) {
        return Catalog.names(Catalog.databaseEntries(body));
    }

    /** The only database, else {@code data}, else the first; null when there are none. */
    static String pickDatabase(List<String> names) {
        if (names.isEmpty()) return null;
        if (names.size() == 1) return names.get(0);
        return names.contains("data") ? "data" : names.get(0);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /** Dots while waiting (terminal only), and notes about slow-downs and network trouble. */
    private static final class Progress implements DeviceFlow.Listener {
        private final PrintStream err;
        private final boolean dots;
        private boolean midLine;

        Progress(PrintStream err, boolean dots) {
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
