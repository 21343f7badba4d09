package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.text.Shell;

/** {@code default database ALIAS_OR_URL [DB] [--clear]}: show, set or clear an instance's default database. */
public final class DefaultDatabaseHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        ConfigStore store = new ConfigStore(ctx.configDir());
        String target = inv.string("alias_or_url");
        String db = inv.string("db");
        if (inv.flag("clear") || db != null) {
            store.update(c -> {
                String key = instanceKey(c, target, true);
                c.setDefaultDatabase(key, inv.flag("clear") ? null : db);
                return null;
            });
            return 0;
        }
        Config config = store.load();
        String key = instanceKey(config, target, false);
        Config.Instance instance = key == null ? null : config.instance(key);
        String current = instance == null ? null : instance.defaultDatabase();
        if (key == null) key = Config.stripSlash(target);
        ctx.out().println(current == null ? "No default database set for " + Safe.maskUrl(key) : current);
        return 0;
    }

    /**
     * The config key for an alias, or for a URL the alias (or URL-keyed entry) that has it. A URL
     * no entry has gets one keyed by the URL when {@code create} (as {@code login} writes them),
     * so the command that error messages suggest ({@code dclient default database URL DB}) works;
     * otherwise null.
     */
    static String instanceKey(Config config, String target, boolean create) {
        if (config.instance(target) != null) return target;
        if (UrlPrefix.isUrl(target)) {
            InstanceUrl.check(target);
            String alias = config.aliasForUrl(target);
            if (alias != null) return alias;
            if (!create) return null;
            String url = Config.stripSlash(target);
            config.putInstance(url, url);
            return url;
        }
        DclientException schemeless = InstanceUrl.notAnAlias(target);
        if (schemeless != null) throw schemeless;
        throw new DclientException("No such alias: " + target + ". Add it first: dclient alias add "
                + Shell.quote(target) + " <url>", DclientException.Kind.NOT_FOUND);
    }
}
