package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.TokenOrigin;

/**
 * The token itself, for handing to other tools ({@code dclient auth token}, the library's
 * {@code Datasette.token()}): exactly what a request to the instance would carry, found by
 * {@link TokenResolver}'s order. The one place where a token leaves dclient on purpose.
 */
public final class TokenReveal {
    private TokenReveal() {}

    /**
     * The token of {@code source}; when there is none, a {@link DclientException.Kind#NOT_FOUND}
     * error saying where dclient looked, with advice to add one for {@code label} (the alias or URL).
     */
    public static String require(TokenSource source, String label) {
        if (source.present()) return source.token();
        if (source.origin() == TokenOrigin.EXPLICIT) {
            throw new DclientException("No token: the token given is empty.", DclientException.Kind.NOT_FOUND,
                    new Advice.AddToken(label, true, null));
        }
        throw new DclientException("No token for " + label + ": none is stored for it in auth.json (by alias or URL"
                + " prefix) and DATASETTE_TOKEN is not set.", DclientException.Kind.NOT_FOUND,
                new Advice.AddToken(label, false, null));
    }
}
