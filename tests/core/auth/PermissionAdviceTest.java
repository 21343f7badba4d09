package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** PermissionAdvice.writeRefused: which token, where from, what to run; never the token. */
class PermissionAdviceTest {
    static final String URL = "https://bob:pw@db.example/main/dogs/-/insert";

    /** A dstok_ token for actor "alice" (payload only; the signature is not checked here). */
    static final String ALICE = "dstok_" + Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"a\": \"alice\", \"t\": 1700000000}".getBytes(StandardCharsets.UTF_8)) + ".sig";

    @Test
    void aStoredTokenNamesItsKeyActorAndTheLoginThatGrantsWriteAccess() {
        String m = PermissionAdvice.writeRefused("Permission denied", 403, URL,
                new TokenSource(ALICE, TokenSource.Kind.ALIAS, "prod"), "prod", "main", "dogs");
        assertEquals("Permission denied (HTTP 403 from https://bob:***@db.example/main/dogs/-/insert). The token sent was"
                + " the one stored for alias prod in auth.json (a dstok_ token for actor \"alice\"); it does not allow"
                + " this write. Get a token with write access: dclient login prod --write main/dogs, or store one:"
                + " dclient auth add prod", m);
        assertFalse(m.contains(ALICE));
    }

    @Test
    void flagAndEnvironmentTokensSayWhatToChange() {
        String flag = PermissionAdvice.writeRefused(null, 403, null,
                new TokenSource("plain-secret-token", TokenSource.Kind.FLAG, null), "https://x.example", "main", null);
        assertEquals("Forbidden (HTTP 403). The token sent was the one given with --token; it does not allow this write."
                + " Pass a token with write access to --token (get one: dclient login https://x.example --write main"
                + " --token-only), or leave --token out to use a stored token.", flag);
        String env = PermissionAdvice.writeRefused("Token says plain-secret-token", 401, null,
                new TokenSource("plain-secret-token", TokenSource.Kind.ENV, null), "prod", null, null);
        assertEquals("Token says *** (HTTP 401). The token sent was the one in DATASETTE_TOKEN; it does not allow this"
                + " write. Set DATASETTE_TOKEN to a token with write access (get one: dclient login prod --write-all"
                + " --token-only), or unset it to use a stored token.", env);
    }

    @Test
    void noTokenSaysSoAndQuotesOddNames() {
        String m = PermissionAdvice.writeRefused("Forbidden", 403, null, TokenSource.NONE, "prod", "my db", "it's");
        assertEquals("Forbidden (HTTP 403). No token was sent, and this instance does not let anonymous users write"
                + " there. Get a token with write access: dclient login prod --write 'my db/it'\\''s', or store one:"
                + " dclient auth add prod", m);
    }
}
