package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;

/** {@code default database ALIAS_OR_URL [DB] [--clear]}: show, set or clear an instance's default database. */
public final class DefaultDatabaseHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        ConfigStore store = new ConfigStore(ctx.configDir());
        String target = inv.string("alias_or_url");
        String db = inv.string("db");
        String key = instanceKey(store.load(), target);
        if (inv.flag("clear") || db != null) {
            store.update(c -> {
                c.setDefaultDatabase(key, inv.flag("clear") ? null : db);
                return null;
            });
            return 0;
        }
        String current = store.load().instance(key).defaultDatabase();
        ctx.out().println(current == null ? "No default database set for " + key : current);
        return 0;
    }

    /** The config key for an alias, or for a URL the alias (or URL-keyed entry) that has it. */
    static String instanceKey(Config config, String target) {
        if (config.instance(target) != null) return target;
        if (UrlPrefix.isUrl(target)) {
            String alias = config.aliasForUrl(target);
            if (alias != null) return alias;
            throw new DclientException("No such instance URL: " + target
                    + ". Add an alias for it first: dclient alias add <name> " + target);
        }
        throw new DclientException("No such alias: " + target + ". Add it first: dclient alias add " + target + " <url>");
    }
}
