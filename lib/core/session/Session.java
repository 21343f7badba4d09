package io.datasette.dclient.core.session;

import io.datasette.dclient.core.auth.StoredToken;
import io.datasette.dclient.core.auth.TokenResolver;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Secrets;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.text.Safe;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves which instance, database and token a command uses, and opens a client for it.
 * Instance: the one named (a URL or an alias), the default instance, {@code DATASETTE_URL}.
 * Database: the one named, the instance's default database, {@code DATASETTE_DATABASE}. Token:
 * see {@link TokenResolver}.
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
                InstanceUrl.check(option);
                return new Instance(Config.stripSlash(option), c.aliasForUrl(option), Instance.From.NAMED);
            }
            return new Instance(Config.stripSlash(aliasUrl(c, option)), option, Instance.From.NAMED);
        }
        String def = c.defaultInstance();
        if (def != null) {
            Config.Instance alias = c.instance(def);
            if (alias != null) return new Instance(Config.stripSlash(alias.url()), def, Instance.From.DEFAULT);
            if (UrlPrefix.isUrl(def)) return new Instance(Config.stripSlash(def), c.aliasForUrl(def), Instance.From.DEFAULT);
        }
        String env = ctx.env("DATASETTE_URL");
        if (env != null) {
            InstanceUrl.check(env);
            return new Instance(Config.stripSlash(env), c.aliasForUrl(env), Instance.From.ENV);
        }
        throw new DclientException("No instance specified.", DclientException.Kind.FAILED, new Advice.NameInstance());
    }

    /** The (checked) URL of the alias {@code name} in {@code c}; an unknown alias is an error with advice. */
    public static String aliasUrl(Config c, String name) {
        Config.Instance alias = c.instance(name);
        if (alias == null) {
            DclientException schemeless = InstanceUrl.notAnAlias(name);
            if (schemeless != null) throw schemeless;
            String shown = Safe.maskUrls(Safe.line(name, 200));
            throw new DclientException("Unknown instance: " + shown + ".", DclientException.Kind.FAILED,
                    new Advice.AddAlias(shown));
        }
        InstanceUrl.check(alias.url());
        return alias.url();
    }

    public String database(String option, Instance instance) {
        return databaseName(option, instance).name();
    }

    /** A database name and where it came from (for messages about it). */
    public record DatabaseName(String name, NotFound.Origin origin) {}

    /** As {@link #database(String, Instance)}, saying where the name came from. */
    public DatabaseName databaseName(String option, Instance instance) {
        if (option != null && !option.isEmpty()) return new DatabaseName(option, NotFound.Origin.GIVEN);
        if (instance.alias() != null) {
            Config.Instance i = config().instance(instance.alias());
            if (i != null && i.defaultDatabase() != null && !i.defaultDatabase().isEmpty()) {
                return new DatabaseName(i.defaultDatabase(), NotFound.Origin.INSTANCE_DEFAULT);
            }
        }
        String env = ctx.env("DATASETTE_DATABASE");
        if (env != null) return new DatabaseName(env, NotFound.Origin.ENVIRONMENT);
        String target = instance.alias() != null ? instance.alias() : Safe.maskUrls(instance.url());
        throw new DclientException("No database specified.", DclientException.Kind.FAILED,
                new Advice.NameDatabase(target));
    }

    /** The token for {@code instance}; {@code flag} is the explicit token or null. */
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
        PrintStream log = verbose ? Secrets.masking(ctx.err(), java.util.Collections.singletonList(token.token())) : null;
        return new DatasetteClient(ctx.http(), instance.url(), token.token(), log, timeout,
                instance.label()).warnings(ctx.err()).tokenFacts(token.facts());
    }

    /** {@code DCLIENT_TIMEOUT} seconds, else 30. */
    public Duration timeout() {
        String t = ctx.env("DCLIENT_TIMEOUT");
        if (t == null) return DatasetteClient.DEFAULT_TIMEOUT;
        Duration d = seconds(t);
        if (d == null) throw new DclientException("DCLIENT_TIMEOUT must be a positive number of seconds, not " + t);
        return d;
    }

    /** {@code seconds} as a time limit by {@code DCLIENT_TIMEOUT}'s rule; null unless a positive number. */
    public static Duration timeLimit(double seconds) {
        return Double.isNaN(seconds) || Double.isInfinite(seconds) ? null : seconds(Double.toString(seconds));
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

        /** As {@link #database(String)}, saying where the name came from. */
        public DatabaseName databaseName(String named) {
            return session.databaseName(named, instance);
        }
    }
}
