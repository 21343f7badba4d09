package io.datasette.dclient.core.login;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.data.Catalog;
import io.datasette.dclient.core.http.DatasetteClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which instance and database become the defaults after a login: Python dclient's step 9,
 * without its bug 16. With no default instance, the logged-in instance becomes the default;
 * when the default instance (now, or already) is this instance and has no default database, one
 * of the databases the new token sees is picked ({@link Catalog.Listing#VISIBLE}: the only one,
 * else {@code data}, else the first). Unlike Python, a default instance that points elsewhere is
 * left alone, and no database is written onto a non-default instance. A token whose scope is
 * limited to databases ({@link Scopes#databasesOnly}) cannot list the instance, so the server is
 * not asked: one database becomes the default; several are reported as the choices. The faces
 * word the {@link Outcome}; the login has succeeded whatever it says.
 */
public final class LoginDefaults {
    private LoginDefaults() {}

    /** Where the login was made: the key the token was saved under, the instance URL, the new token. */
    public record Login(String key, String url, boolean keyIsAlias, String token) {}

    /** How to ask the server which databases the new token sees. */
    public record Listing(io.datasette.dclient.core.http.Transport http, Duration timeout, PrintStream verbose) {}

    /**
     * What was decided, as facts: the default instance set (or null), the database set as the
     * default of {@code databaseKey} (or null), and, when one was wanted but none was set, either
     * the {@code choices} the token is limited to or why none could be chosen ({@code noDatabase}).
     * {@code databaseKey} is null when the defaults were left alone.
     */
    public record Outcome(String instanceSet, String databaseSet, String databaseKey, List<String> choices,
            String noDatabase) {
        static final Outcome UNCHANGED = new Outcome(null, null, null, List.of(), null);
    }

    /** Applies the defaults for {@code login} in the config under {@code configDir}. */
    public static Outcome apply(Path configDir, Login login, List<String> scopeDbs, Listing listing) {
        ConfigStore store = new ConfigStore(configDir);
        Config c = store.load();
        String instanceKey = login.keyIsAlias() ? login.key() : firstNonNull(c.aliasForUrl(login.url()), login.key());
        String def = c.defaultInstance();
        String dbKey;
        if (def == null) {
            dbKey = instanceKey;
        } else if (sameInstance(c, def, login.url())) {
            dbKey = c.instance(def) != null ? def : firstNonNull(c.aliasForUrl(def), def);
        } else {
            return Outcome.UNCHANGED; // the default instance is another one
        }
        boolean needInstance = def == null;
        Config.Instance entry = c.instance(dbKey);
        boolean needDb = entry == null || entry.defaultDatabase() == null || entry.defaultDatabase().isEmpty();
        if (!needInstance && !needDb) return Outcome.UNCHANGED;

        String db = null;
        List<String> choices = List.of();
        String noDatabase = null;
        if (needDb && scopeDbs.size() == 1) {
            db = scopeDbs.get(0); // a token limited to one database: that one, without asking
        } else if (needDb && scopeDbs.size() > 1) {
            choices = List.copyOf(scopeDbs);
        } else if (needDb) {
            try {
                DatasetteClient client = new DatasetteClient(listing.http(), login.url(), login.token(),
                        listing.verbose() == null ? null : io.datasette.dclient.core.Secrets.masking(listing.verbose(),
                                List.of(login.token())), listing.timeout(), login.key());
                db = pickDatabase(Catalog.databaseNames(client, Catalog.Listing.VISIBLE));
                if (db == null) noDatabase = "the new token sees no databases";
            } catch (DclientException e) {
                noDatabase = e.getMessage();
            }
        }
        String chosenDb = db;
        String instanceUrl = Config.stripSlash(login.url());
        String[] set = new String[2];
        store.update(cfg -> {
            if (needInstance && cfg.defaultInstance() == null) {
                if (cfg.instance(instanceKey) == null) cfg.putInstance(instanceKey, instanceUrl);
                cfg.setDefaultInstance(instanceKey);
                set[0] = instanceKey;
            }
            if (chosenDb != null) {
                if (cfg.instance(dbKey) == null) {
                    cfg.putInstance(dbKey, UrlPrefix.isUrl(dbKey) ? Config.stripSlash(dbKey) : instanceUrl);
                }
                Config.Instance now = cfg.instance(dbKey);
                if (now.defaultDatabase() == null || now.defaultDatabase().isEmpty()) {
                    cfg.setDefaultDatabase(dbKey, chosenDb);
                    set[1] = chosenDb;
                }
            }
            return null;
        });
        return new Outcome(set[0], set[1], dbKey, choices, noDatabase);
    }

    /** Whether the default instance {@code def} (an alias or a URL) is the instance at {@code url}. */
    private static boolean sameInstance(Config c, String def, String url) {
        Config.Instance i = c.instance(def);
        String defUrl = i != null ? i.url() : (UrlPrefix.isUrl(def) ? def : null);
        return defUrl != null && Config.stripSlash(defUrl).equals(Config.stripSlash(url));
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
}
