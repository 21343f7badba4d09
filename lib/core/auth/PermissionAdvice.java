package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Secrets;
import java.util.List;

/**
 * The failure for a request the server refused (HTTP 401 or 403): the server's reason and where
 * it answered, as facts, and {@link Advice} naming the token that was sent and where it came from
 * (never its value), what the server said about it ("Token has expired" is expiry, not a missing
 * permission) and what access the request needed. Each face words that advice: the command line
 * names {@code --token} or the {@code dclient login} that gets a fitting token, the library its
 * builder and {@code Tokens}. {@code actor}, {@code auth status}, the library's {@code actor()}
 * and the write path all use it.
 */
public final class PermissionAdvice {
    private PermissionAdvice() {}

    /**
     * The failure for a refused request.
     *
     * @param status the HTTP status (401 or 403)
     * @param serverMessage Datasette's error text ("Token has expired", "Permission denied"), or
     *     null for none
     * @param where the URL that answered (its userinfo is masked here), or null
     * @param source the token that was sent, and where it came from
     * @param label the instance as the user names it (alias or URL)
     * @param access what the request needed (a write to a table, a read), or null when unknown
     */
    public static DclientException refused(int status, String serverMessage, String where, TokenSource source,
            String label, Advice.Access access) {
        String reason = serverMessage == null || serverMessage.isBlank()
                ? (status == 401 ? "Unauthorized" : "Forbidden") : serverMessage.strip();
        if (reason.endsWith(".")) reason = reason.substring(0, reason.length() - 1);
        StringBuilder fact = new StringBuilder(reason).append(" (HTTP ").append(status);
        if (where != null) fact.append(" from ").append(where);
        fact.append(").");
        TokenSource sent = source == null ? TokenSource.NONE : source;
        if (!sent.present()) {
            fact.append(access != null && access.write()
                    ? " No token was sent, and this instance does not let anonymous users write there."
                    : " No token was sent.");
        }
        String text = Secrets.maskUserInfo(fact.toString());
        if (sent.present()) text = Secrets.mask(text, List.of(sent.token()));
        return new DclientException(text, DclientException.Kind.PERMISSION,
                Advice.refused(status, serverMessage, sent.facts(), sent.present(), label, access));
    }

    /**
     * A refused write, for {@code core.write.WritePost}: throws {@link #refused} rather than
     * returning text, so WritePost's {@code throw new DclientException(writeRefused(...), ...)}
     * throws the failure with its advice. To go once WritePost throws {@code refused(...)} itself.
     */
    public static String writeRefused(String serverMessage, int status, String where, TokenSource source,
            String label, String database, String table) {
        throw refused(status, serverMessage, where, source, label, new Advice.Access(true, database, table));
    }
}
