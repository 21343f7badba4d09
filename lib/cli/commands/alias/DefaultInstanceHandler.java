package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.text.Shell;

/** {@code default instance [ALIAS_OR_URL] [--clear]}: a URL that matches an alias stores the alias. */
public final class DefaultInstanceHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        ConfigStore store = new ConfigStore(ctx.configDir());
        String value = inv.string("alias_or_url");
        if (inv.flag("clear")) {
            store.update(c -> {
                c.setDefaultInstance(null);
                return null;
            });
            return 0;
        }
        if (value == null) {
            String current = store.load().defaultInstance();
            ctx.out().println(current == null ? "No default instance set" : Safe.maskUrl(current));
            return 0;
        }
        Config config = store.load();
        String stored;
        if (UrlPrefix.isUrl(value)) {
            InstanceUrl.check(value);
            String alias = config.aliasForUrl(value);
            stored = alias != null ? alias : Config.stripSlash(value);
        } else if (config.instance(value) != null) {
            stored = value;
        } else {
            DclientException schemeless = InstanceUrl.notAnAlias(value);
            if (schemeless != null) throw schemeless;
            throw new DclientException("No such alias: " + value + ". Add it first: dclient alias add " + Shell.quote(value)
                    + " <url>");
        }
        store.update(c -> {
            c.setDefaultInstance(stored);
            return null;
        });
        return 0;
    }
}
