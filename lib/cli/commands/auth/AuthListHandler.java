package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.auth.CredentialCommand;
import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.StoredToken;
import io.datasette.dclient.core.auth.TokenRefs;
import io.datasette.dclient.core.auth.TokenMetadata;
import io.datasette.dclient.core.auth.UrlPrefix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Shell;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code auth list}: the tokens file, then one line per stored key saying where it applies
 * (alias and its URL, or URL prefix), where the token lives (auth.json, the keyring, or a
 * command) and, where known, when it expires. Never any character of a token (Python dclient
 * showed the first one); the keyring and commands are not asked.
 *
 * <pre>
 * Tokens file: /home/me/.config/io.datasette.dclient/auth.json
 *
 * prod                  alias for https://prod.example.com, in the keyring, expires 2026-05-01 10:00 UTC (in 5 hours)
 * ci                    alias for https://ci.example.com, from the command 'pass show datasette/ci'
 * https://example.com/  URL prefix, in auth.json, no expiry set
 * </pre>
 */
public final class AuthListHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        AuthStore store = new AuthStore(ctx.configDir());
        Map<String, StoredToken> tokens = StoredToken.load(ctx.configDir());
        PrintStream out = ctx.out();
        out.println("Tokens file: " + store.file());
        if (tokens.isEmpty()) {
            ctx.err().println("No tokens stored. Add one: dclient login <alias-or-url>, or dclient auth add <alias-or-url>");
            return 0;
        }
        Config config = null;
        try {
            config = new ConfigStore(ctx.configDir()).load();
        } catch (DclientException e) {
            ctx.err().println("Warning: aliases not shown: " + e.getMessage());
        }
        Map<String, ObjectNode> meta = new TokenMetadata(ctx.configDir(), ctx.err()).load();
        Map<String, TokenRefs.Ref> shadowed = new TokenRefs(ctx.configDir()).load();
        Instant now = ctx.clock().instant();
        int width = tokens.keySet().stream().map(Safe::maskUrl).mapToInt(String::length).max().orElse(0);
        out.println();
        for (StoredToken e : tokens.values()) {
            List<String> parts = new ArrayList<>();
            parts.add(where(e.key(), config));
            String home = switch (e.storage()) {
                case FILE -> "in auth.json";
                case KEYRING -> "in the keyring";
                case COMMAND -> "from the command " + CredentialCommand.shown(e.command());
            };
            if (e.storage() == TokenStorage.FILE && shadowed.containsKey(e.key())) {
                home += " (its " + (shadowed.get(e.key()).storage() == TokenStorage.KEYRING ? "keyring" : "command")
                        + " entry in " + TokenRefs.FILE + " is not used)";
            }
            parts.add(home);
            String token = e.storage() == TokenStorage.FILE ? e.fileToken().strip() : null;
            // The keyring and commands are not asked here: only an expiry login noted is known.
            Long expires = token != null ? TokenMetadata.expiresAt(meta, e.key(), token)
                    : e.storage() == TokenStorage.KEYRING ? TokenMetadata.recordedExpiry(meta, e.key()) : null;
            if (expires != null) {
                parts.add(TokenMetadata.describe(expires, now));
            } else if (token != null && TokenMetadata.decodesWithoutExpiry(token)) {
                parts.add("no expiry set");
            }
            out.println(pad(Safe.maskUrl(e.key()), width) + "  " + String.join(", ", parts));
        }
        return 0;
    }

    private static String where(String key, Config config) {
        Config.Instance alias = config == null ? null : config.instance(key);
        boolean isDefault = config != null && key.equals(config.defaultInstance());
        String suffix = isDefault ? " (default instance)" : "";
        if (alias != null && !UrlPrefix.isUrl(key)) return "alias for " + Safe.maskUrl(alias.url()) + suffix;
        if (UrlPrefix.isUrl(key)) return "URL prefix" + suffix;
        if (config == null) return "alias";
        return "alias not configured (dclient alias add " + Shell.quote(key) + " <url>)";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
