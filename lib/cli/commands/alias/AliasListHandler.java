package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.text.Safe;

/** {@code alias list}: one line per alias, {@code *} marking the default; {@code --json} for the whole config. */
public class AliasListHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        Config config = new ConfigStore(ctx.configDir()).load();
        if (inv.flag("json")) {
            ctx.out().println(Json.pretty(config.maskedJson(), 2));
            return 0;
        }
        String def = config.defaultInstance();
        for (Config.Instance i : config.instances().values()) {
            String marker = i.name().equals(def) ? "* " : "  ";
            String db = i.defaultDatabase() == null ? "" : " (db: " + i.defaultDatabase() + ")";
            ctx.out().println(marker + i.name() + " = " + Safe.maskUrl(i.url()) + db);
        }
        if (def != null && config.instance(def) == null) {
            ctx.out().println("* " + Safe.maskUrl(def) + (def.startsWith("http") ? "" : " (default, but no such alias)"));
        }
        return 0;
    }
}
