package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Secrets;
import io.datasette.dclient.core.text.Shell;
import java.util.List;

/**
 * What to tell the user when the server refused a write the token was meant to allow (a 403,
 * or a 401, from an insert, upsert, create or other write endpoint): the server's reason, which
 * token was sent and where it came from (never its value), and what to run to get a token with
 * write access. The shape follows {@code ActorCall}'s message for a refused token.
 */
public final class PermissionAdvice {
    private PermissionAdvice() {}

    /**
     * The message for a refused write.
     *
     * @param serverMessage Datasette's error text ("Permission denied"), or null for none
     * @param status the HTTP status (401 or 403)
     * @param where the URL that answered (its userinfo is masked here)
     * @param source the token that was sent, and where it came from
     * @param label the instance as the user names it (alias or URL), for the commands to run
     * @param database the database written to, or null
     * @param table the table written to, or null
     */
    public static String writeRefused(String serverMessage, int status, String where, TokenSource source,
            String label, String database, String table) {
        String reason = serverMessage == null || serverMessage.isBlank()
                ? (status == 401 ? "Unauthorized" : "Forbidden") : serverMessage.strip();
        if (reason.endsWith(".")) reason = reason.substring(0, reason.length() - 1);
        StringBuilder sb = new StringBuilder(reason);
        sb.append(" (HTTP ").append(status);
        if (where != null) sb.append(" from ").append(where);
        sb.append("). ");
        String login = "dclient login " + Shell.quote(label) + " " + writeScope(database, table);
        if (source == null || !source.present()) {
            sb.append("No token was sent, and this instance does not let anonymous users write there. Get a token"
                    + " with write access: ").append(login).append(", or store one: dclient auth add ").append(Shell.quote(label));
        } else {
            sb.append("The token sent was ").append(which(source)).append("; it does not allow this write. ");
            switch (source.kind()) {
                case FLAG -> sb.append("Pass a token with write access to --token (get one: ").append(login)
                        .append(" --token-only), or leave --token out to use a stored token.");
                case ENV -> sb.append("Set DATASETTE_TOKEN to a token with write access (get one: ").append(login)
                        .append(" --token-only), or unset it to use a stored token.");
                default -> sb.append("Get a token with write access: ").append(login)
                        .append(", or store one: dclient auth add ")
                        .append(Shell.quote(source.key() != null ? source.key() : label));
            }
        }
        String text = Secrets.maskUserInfo(sb.toString());
        return source != null && source.present() ? Secrets.mask(text, List.of(source.token())) : text;
    }

    /**
     * Which token, without its value: "the token from alias prod in auth.json", with the actor
     * a {@code dstok_} token names ("..., a dstok_ token for actor root").
     */
    public static String which(TokenSource source) {
        String from = switch (source.kind()) {
            case FLAG -> "the one given with --token";
            case ENV -> "the one in DATASETTE_TOKEN";
            case NONE -> "none";
            default -> "the one stored for " + source.describe();
        };
        TokenMetadata.Payload p = TokenMetadata.decode(source.token());
        if (p != null && p.actor() != null && !p.actor().isBlank()) {
            from += " (a dstok_ token for actor \"" + p.actor() + "\")";
        }
        return from;
    }

    /** {@code --write DB/TABLE}, {@code --write DB}, or {@code --write-all} when neither is known. */
    static String writeScope(String database, String table) {
        if (database == null || database.isBlank()) return "--write-all";
        String scope = table == null || table.isBlank() ? database : database + "/" + table;
        return "--write " + Shell.quote(scope);
    }
}
