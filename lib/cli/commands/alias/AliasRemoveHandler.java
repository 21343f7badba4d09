package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.auth.StoredToken;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.text.Shell;

/** {@code alias remove NAME}; clears the default instance if it was this alias. Stored tokens stay. */
public final class AliasRemoveHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String name = inv.string("name");
        ConfigStore store = new ConfigStore(ctx.configDir());
        if (store.load().instance(name) == null) throw new DclientException("No such alias");
        store.update(c -> {
            c.removeInstance(name);
            if (name.equals(c.defaultInstance())) c.setDefaultInstance(null);
            return null;
        });
        try {
            if (StoredToken.load(ctx.configDir()).containsKey(name)) {
                ctx.err().println("A token is still stored for " + name + "; remove it with: dclient auth remove " + Shell.quote(name));
            }
        } catch (DclientException e) {
            // an unreadable auth.json or auth-sources.json is not this command's business
        }
        return 0;
    }
}
