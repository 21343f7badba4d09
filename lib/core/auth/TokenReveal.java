package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.text.Shell;

/**
 * The token itself, for handing to other tools ({@code dclient auth token}, the library's
 * {@code Datasette.token()}): exactly what a request to the instance would carry, found by
 * {@link TokenResolver}'s order. The one place where a token leaves dclient on purpose.
 */
public final class TokenReveal {
    private TokenReveal() {}

    /**
     * The token of {@code source}; when there is none, a {@link DclientException.Kind#NOT_FOUND}
     * error saying where dclient looked and how to add one for {@code label} (the alias or URL).
     */
    public static String require(TokenSource source, String label) {
        if (source.present()) return source.token();
        if (source.kind() == TokenSource.Kind.FLAG) {
            throw new DclientException("No token: --token was given empty", DclientException.Kind.NOT_FOUND);
        }
        throw new DclientException("No token for " + label + ": none is stored for it in auth.json (by alias or URL"
                + " prefix) and DATASETTE_TOKEN is not set. Add one: dclient auth add " + Shell.quote(label)
                + " (or dclient login " + Shell.quote(label) + ")", DclientException.Kind.NOT_FOUND);
    }
}
