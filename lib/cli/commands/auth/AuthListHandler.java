package io.datasette.dclient.cli.commands.auth;

import io.datasette.dclient.core.auth.AuthStore;
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
 * (alias and its URL, or URL prefix) and, where known, when the token expires. Never any
 * character of a token (Python dclient showed the first one).
 *
 * <pre>
 * Tokens file: /home/me/.config/io.datasette.dclient/auth.json
 *
 * prod                  alias for https://prod.example.com, expires 2026-05-01 10:00 UTC (in 5 hours)
 * https://example.com/  URL prefix, no expiry set
 * </pre>
 */
public final class AuthListHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        AuthStore store = new AuthStore(ctx.configDir());
        Map<String, String> tokens = store.load();
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
        Instant now = ctx.clock().instant();
        int width = tokens.keySet().stream().map(Safe::maskUrl).mapToInt(String::length).max().orElse(0);
        out.println();
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            List<String> parts = new ArrayList<>();
            parts.add(where(e.getKey(), config));
            Long expires = TokenMetadata.expiresAt(meta, e.getKey(), e.getValue().strip());
            if (expires != null) {
                parts.add(TokenMetadata.describe(expires, now));
            } else if (TokenMetadata.decodesWithoutExpiry(e.getValue().strip())) {
                parts.add("no expiry set");
            }
            out.println(pad(Safe.maskUrl(e.getKey()), width) + "  " + String.join(", ", parts));
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
