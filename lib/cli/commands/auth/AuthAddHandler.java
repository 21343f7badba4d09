package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.auth.UrlPrefix;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.text.Shell;

/**
 * {@code auth add ALIAS_OR_URL [--token TEXT]}: stores a token in auth.json under the key exactly
 * as given. Without {@code --token} it prompts {@code Token:} with hidden input on a terminal,
 * or reads one line from standard input otherwise ({@code echo "$T" | dclient auth add prod}).
 * Surrounding whitespace is dropped; an empty token, or one with spaces or control characters
 * inside, is refused. The token is never echoed.
 */
public final class AuthAddHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String key = Credentials.checkedKey(inv.string("alias_or_url"));
        refuseHostWithoutScheme(key, ctx);
        String token = readToken(inv.string("token"), key, ctx);
        Credentials credentials = new Credentials(ctx.configDir(), ctx.err());
        credentials.put(key, token);
        ctx.err().println("Saved the token for " + Safe.maskUrl(key) + " in " + credentials.store().file());
        if (!UrlPrefix.isUrl(key)) noteUnknownAlias(key, ctx);
        return 0;
    }

    static String readToken(String flag, String key, Context ctx) {
        String raw;
        if (flag != null) {
            raw = flag;
        } else if (ctx.terminal().stdinIsTerminal()) {
            raw = ctx.terminal().readSecret("Token: ");
            if (raw == null) throw new DclientException("No token entered; nothing was stored.");
        } else {
            raw = ctx.readLine();
            if (raw == null) {
                throw new DclientException("No token given: standard input is empty. Pass --token TEXT, or pipe it in: "
                        + "echo \"$TOKEN\" | dclient auth add " + Shell.quote(key));
            }
        }
        return Credentials.checked(raw);
    }

    /**
     * A host typed without its scheme ({@code 127.0.0.1:8001}) that is no alias would store a
     * token no instance ever uses: refused, with the URL it probably means.
     */
    private static void refuseHostWithoutScheme(String key, Context ctx) {
        DclientException schemeless = InstanceUrl.notAnAlias(key);
        if (schemeless == null) return;
        Config config;
        try {
            config = new ConfigStore(ctx.configDir()).load();
        } catch (DclientException e) {
            config = null; // config.json problems are reported by the commands that need it
        }
        if (config == null || config.instance(key) == null) throw schemeless;
    }

    /** A token under a name that is not (yet) an alias is only used once the alias exists: say so. */
    private static void noteUnknownAlias(String key, Context ctx) {
        Config config;
        try {
            config = new ConfigStore(ctx.configDir()).load();
        } catch (DclientException e) {
            return; // config.json problems are reported by the commands that need it
        }
        if (config.instance(key) == null) {
            ctx.err().println("Note: there is no alias named " + key + " yet; the token is used once you add it:"
                    + " dclient alias add " + Shell.quote(key) + " <url>");
        }
    }
}
