package io.datasette.dclient.core.session;

import io.datasette.dclient.core.auth.StoredToken;
import io.datasette.dclient.core.auth.TokenResolver;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves which instance, database and token a command uses, and opens a client for it.
 * Instance: {@code -i URL|ALIAS}, the default instance, {@code DATASETTE_URL}. Database:
 * {@code -d}, the instance's default database, {@code DATASETTE_DATABASE}. Token: see
 * {@link TokenResolver}.
 */
public final class Session {
    private final Context ctx;
    private Config config;

    public Session(Context ctx) {
        this.ctx = ctx;
    }

    public Config config() {
        if (config == null) config = new ConfigStore(ctx.configDir()).load();
        return config;
    }

    /**
     * Resolves the instance ({@code instance}: a URL or alias, or null for the default), its token
     * ({@code token}: an explicit one, or null to look it up) and opens a client; {@code verbose}
     * logs requests on the context's stderr.
     */
    public static Connection open(String instance, String token, boolean verbose, Context ctx) {
        return open(instance, token, verbose, null, ctx);
    }

    /**
     * As {@link #open(String, String, boolean, Context)}, with a {@code timeout} (null: from
     * {@code DCLIENT_TIMEOUT}, else 30 s).
     */
    public static Connection open(String instance, String token, boolean verbose, Duration timeout, Context ctx) {
        Session s = new Session(ctx);
        Instance resolved = s.instance(instance);
        Duration t = timeout != null ? timeout : s.timeout();
        TokenSource source = s.token(token, resolved, t);
        return new Connection(s, resolved, source, s.client(resolved, source, verbose, t));
    }

    public Instance instance(String option) {
        Config c = config();
        if (option != null && !option.isEmpty()) {
            if (UrlPrefix.isUrl(option)) {
                DatasetteClient.parseUrl(option);
                return new Instance(Config.stripSlash(option), c.aliasForUrl(option), "-i");
            }
            Config.Instance alias = c.instance(option);
            if (alias == null) {
                String shown = Safe.maskUrls(Safe.line(option, 200));
                throw new DclientException("Unknown instance: " + shown
                        + ". Use a URL, or add the alias: dclient alias add " + Shell.quote(shown) + " <url>");
            }
            DatasetteClient.parseUrl(alias.url());
            return new Instance(Config.stripSlash(alias.url()), option, "-i");
        }
        String def = c.defaultInstance();
        if (def != null) {
            Config.Instance alias = c.instance(def);
            if (alias != null) return new Instance(Config.stripSlash(alias.url()), def, "default instance");
            if (UrlPrefix.isUrl(def)) return new Instance(Config.stripSlash(def), c.aliasForUrl(def), "default instance");
        }
        String env = ctx.env("DATASETTE_URL");
        if (env != null) {
            DatasetteClient.parseUrl(env);
            return new Instance(Config.stripSlash(env), c.aliasForUrl(env), "DATASETTE_URL");
        }
        throw new DclientException("""
                No instance specified. Use -i <url-or-alias>, or configure a default:

                    dclient alias add <name> <url>
                    dclient default instance <name-or-url>

                Or set the DATASETTE_URL environment variable.""");
    }

    public String database(String option, Instance instance) {
        if (option != null && !option.isEmpty()) return option;
        if (instance.alias() != null) {
            Config.Instance i = config().instance(instance.alias());
            if (i != null && i.defaultDatabase() != null && !i.defaultDatabase().isEmpty()) return i.defaultDatabase();
        }
        String env = ctx.env("DATASETTE_DATABASE");
        if (env != null) return env;
        String target = instance.alias() != null ? instance.alias() : Safe.maskUrls(instance.url());
        throw new DclientException("""
                No database specified. Use -d <name>, or configure a default:

                    dclient default database %s <database>

                Or set the DATASETTE_DATABASE environment variable.""".formatted(Shell.quote(target)));
    }

    /** The token for {@code instance}; {@code flag} is the --token value or null. */
    public TokenSource token(String flag, Instance instance) {
        return token(flag, instance, null);
    }

    /**
     * The token for {@code instance}; {@code flag} is the --token value or null. A token kept in
     * the keyring or printed by a command is fetched only when it wins, within {@code timeout}
     * (null: {@link #timeout()}).
     */
    public TokenSource token(String flag, Instance instance, Duration timeout) {
        if (flag != null) return TokenResolver.resolve(flag, List.of(), instance.url(), java.util.Map.of(), null);
        List<String> aliases = new ArrayList<>();
        if (instance.alias() != null) aliases.add(instance.alias());
        config().instances().values().stream()
                .filter(i -> Config.stripSlash(i.url()).equals(instance.url()))
                .map(Config.Instance::name)
                .filter(n -> !aliases.contains(n))
                .forEach(aliases::add);
        return TokenResolver.resolve(null, aliases, instance.url(), StoredToken.load(ctx.configDir()),
                ctx.env("DATASETTE_TOKEN"), entry -> entry.reveal(ctx, () -> timeout != null ? timeout : timeout()));
    }

    public DatasetteClient client(Instance instance, TokenSource token, boolean verbose) {
        return client(instance, token, verbose, timeout());
    }

    /**
     * A client for the instance: requests logged on stderr when {@code verbose}, and the
     * plain-http warning (a token about to cross the network unencrypted) on stderr always.
     */
    public DatasetteClient client(Instance instance, TokenSource token, boolean verbose, Duration timeout) {
        return new DatasetteClient(ctx.http(), instance.url(), token.token(), verbose ? ctx.err() : null, timeout,
                instance.label()).warnings(ctx.err());
    }

    /** {@code DCLIENT_TIMEOUT} seconds, else 30. */
    public Duration timeout() {
        String t = ctx.env("DCLIENT_TIMEOUT");
        if (t == null) return DatasetteClient.DEFAULT_TIMEOUT;
        Duration d = seconds(t);
        if (d == null) throw new DclientException("DCLIENT_TIMEOUT must be a positive number of seconds, not " + t);
        return d;
    }

    /**
     * {@code --timeout} when given (a positive number of seconds, else a usage error), else
     * {@link #timeout()}.
     */
    public Duration timeout(Double option) {
        if (option == null) return timeout();
        Duration d = option.isNaN() || option.isInfinite() ? null : seconds(Double.toString(option));
        if (d == null) throw DclientException.usage("--timeout must be a positive number of seconds");
        return d;
    }

    /** A positive number of seconds (at least a millisecond; more than a year counts as a year), or null. */
    private static Duration seconds(String text) {
        try {
            double seconds = Double.parseDouble(text.strip());
            if (!(seconds > 0)) return null;
            return Duration.ofMillis(Math.max(1, Math.round(Math.min(seconds, 365 * 24 * 3600.0) * 1000)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An open connection to one instance. */
    public record Connection(Session session, Instance instance, TokenSource token, DatasetteClient client) {
        /** The database named ({@code -d}), else the instance's default, else {@code DATASETTE_DATABASE}. */
        public String database(String named) {
            return session.database(named, instance);
        }
    }
}
