package io.datasette.dclient.core.session;

import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.TokenResolver;
import io.datasette.dclient.core.auth.TokenSource;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.http.DatasetteClient;
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
        Session s = new Session(ctx);
        Instance resolved = s.instance(instance);
        TokenSource source = s.token(token, resolved);
        return new Connection(s, resolved, source, s.client(resolved, source, verbose));
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
                throw new DclientException("Unknown instance: " + option
                        + ". Use a URL, or add the alias: dclient alias add " + option + " <url>");
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
        String target = instance.alias() != null ? instance.alias() : instance.url();
        throw new DclientException("""
                No database specified. Use -d <name>, or configure a default:

                    dclient default database %s <database>

                Or set the DATASETTE_DATABASE environment variable.""".formatted(target));
    }

    /** The token for {@code instance}; {@code flag} is the --token value or null. */
    public TokenSource token(String flag, Instance instance) {
        if (flag != null) return TokenResolver.resolve(flag, List.of(), instance.url(), java.util.Map.of(), null);
        List<String> aliases = new ArrayList<>();
        if (instance.alias() != null) aliases.add(instance.alias());
        config().instances().values().stream()
                .filter(i -> Config.stripSlash(i.url()).equals(instance.url()))
                .map(Config.Instance::name)
                .filter(n -> !aliases.contains(n))
                .forEach(aliases::add);
        return TokenResolver.resolve(null, aliases, instance.url(), new AuthStore(ctx.configDir()).load(),
                ctx.env("DATASETTE_TOKEN"));
    }

    public DatasetteClient client(Instance instance, TokenSource token, boolean verbose) {
        return new DatasetteClient(ctx.http(), instance.url(), token.token(), verbose ? ctx.err() : null, timeout(),
                instance.label());
    }

    /** {@code DCLIENT_TIMEOUT} seconds, else 30. */
    public Duration timeout() {
        String t = ctx.env("DCLIENT_TIMEOUT");
        if (t == null) return DatasetteClient.DEFAULT_TIMEOUT;
        try {
            double seconds = Double.parseDouble(t);
            if (seconds <= 0) throw new NumberFormatException();
            return Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            throw new DclientException("DCLIENT_TIMEOUT must be a positive number of seconds, not " + t);
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
