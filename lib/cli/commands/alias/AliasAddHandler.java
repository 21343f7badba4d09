package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.session.InstanceUrl;

/** {@code alias add NAME URL}; re-adding an alias changes its URL and keeps its default database. */
public final class AliasAddHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String name = inv.string("name");
        String url = inv.string("url");
        if (name.isBlank() || UrlPrefix.isUrl(name)) {
            throw new DclientException("An alias name cannot be empty or a URL: " + name
                    + ". Usage: dclient alias add <name> <url>");
        }
        InstanceUrl.check(url);
        new ConfigStore(ctx.configDir()).update(c -> {
            c.putInstance(name, url);
            return null;
        });
        return 0;
    }
}
