package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.cli.Connections;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.auth.Keyring;
import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.UrlPrefix;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.session.InstanceUrl;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Shell;
import java.time.Duration;

/**
 * {@code auth add ALIAS_OR_URL [--token TEXT] [--keyring | --no-keyring | --command CMD]}:
 * stores a token under the key exactly as given, in auth.json or (with {@code --keyring}, or
 * when {@code default token-storage} is the keyring) in the system keyring; or, with
 * {@code --command}, stores only the command that prints it. Without {@code --token} it prompts
 * {@code Token:} with hidden input on a terminal, or reads one line from standard input
 * otherwise ({@code echo "$T" | dclient auth add prod}). Surrounding whitespace is dropped; an
 * empty token, or one with spaces or control characters inside, is refused. The token is never
 * echoed. The keyring is checked before the token is asked for.
 */
public final class AuthAddHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String key = Credentials.checkedKey(inv.string("alias_or_url"));
        refuseHostWithoutScheme(key, ctx);
        boolean keyring = inv.flag("keyring");
        boolean noKeyring = inv.flag("no-keyring");
        String command = inv.string("command");
        if (keyring && noKeyring) throw DclientException.usage("--keyring and --no-keyring cannot be used together");
        if (command != null && inv.string("token") != null) {
            throw DclientException.usage("--command and --token cannot be used together: the command supplies the token");
        }
        if (command != null && (keyring || noKeyring)) {
            throw DclientException.usage("--command stores no token, so --keyring and --no-keyring do not apply");
        }
        Duration timeout = Connections.timeout(inv, ctx);
        Credentials credentials = new Credentials(ctx);
        Credentials.Outcome done;
        if (command != null) {
            done = credentials.putCommand(key, command, timeout);
            ctx.err().println("Saved the command for " + Safe.maskUrl(key) + " in " + credentials.refs().file()
                    + "; it runs each time the token is needed, and no token is stored.");
        } else {
            TokenStorage where = keyring ? TokenStorage.KEYRING : noKeyring ? TokenStorage.FILE : credentials.defaultStorage();
            Keyring ring = credentials.keyring(timeout);
            if (where == TokenStorage.KEYRING) ring.probe(key);
            String token = readToken(inv.string("token"), key, ctx);
            done = credentials.put(key, token, where, false, timeout);
            ctx.err().println("Saved the token for " + Safe.maskUrl(key) + " in "
                    + (where == TokenStorage.KEYRING ? ring.name() : credentials.store().file()));
        }
        CommandLineAdvice.warnLeftBehind(done.leftBehind(), ctx.err());
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
