package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.TokenOrigin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * PermissionAdvice.refused: the server's reason and where it answered as the fact, and advice
 * that names which token was sent, where it came from and why it was refused; never the token.
 * (How each face words it, source by source and reason by reason: parity/RefusedTokenTest.)
 */
class PermissionAdviceTest {
    static final String URL = "https://bob:pw@db.example/main/dogs/-/insert";
    static final Advice.Access WRITE_DOGS = new Advice.Access(true, "main", "dogs");

    /** A dstok_ token for actor "alice" (payload only; the signature is not checked here). */
    static final String ALICE = "dstok_" + Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"a\": \"alice\", \"t\": 1700000000}".getBytes(StandardCharsets.UTF_8)) + ".sig";

    @Test
    void aStoredTokenThatMayNotWriteIsNamedWithItsKeyAndActor() {
        DclientException e = PermissionAdvice.refused(403, "Permission denied", URL,
                new TokenSource(ALICE, TokenOrigin.ALIAS, "prod"), "prod", WRITE_DOGS);
        assertEquals(DclientException.Kind.PERMISSION, e.kind());
        assertEquals("Permission denied (HTTP 403 from https://bob:***@db.example/main/dogs/-/insert).", e.getMessage());
        assertEquals(new Advice.ReplaceToken("prod", new Advice.Token(TokenOrigin.ALIAS, "prod", "alice"),
                Advice.Problem.NOT_ALLOWED, WRITE_DOGS), e.advice());
        assertEquals("Permission denied (HTTP 403 from https://bob:***@db.example/main/dogs/-/insert). The token sent was"
                + " the one stored for alias prod in auth.json (a dstok_ token for actor \"alice\"); it does not allow"
                + " this write. Get a token with write access: dclient login prod --write main/dogs, or store one:"
                + " dclient auth add prod", e.message(CommandLineAdvice.WORDS));
        assertFalse(e.message(CommandLineAdvice.WORDS).contains(ALICE));
    }

    @Test
    void anExpiredTokenIsExpiryWhateverTheStatus() {
        for (int status : new int[] {401, 403}) {
            DclientException e = PermissionAdvice.refused(status, "Token has expired", null,
                    new TokenSource("dstok_x", TokenOrigin.ENV, null), "prod", WRITE_DOGS);
            assertEquals(Advice.Problem.EXPIRED, ((Advice.ReplaceToken) e.advice()).problem());
        }
        DclientException invalid = PermissionAdvice.refused(401, "Invalid token signature", null,
                new TokenSource("dstok_x", TokenOrigin.ENV, null), "prod", null);
        assertEquals(Advice.Problem.REFUSED, ((Advice.ReplaceToken) invalid.advice()).problem());
    }

    @Test
    void theTokenIsMaskedWhereverTheServerEchoesIt() {
        DclientException e = PermissionAdvice.refused(401, "Token says plain-secret-token", null,
                new TokenSource("plain-secret-token", TokenOrigin.ENV, null), "prod", null);
        assertEquals("Token says *** (HTTP 401).", e.getMessage());
    }

    @Test
    void noTokenSaysSoAndAdvisesAddingOne() {
        DclientException e = PermissionAdvice.refused(403, "Forbidden", null, TokenSource.NONE, "prod",
                new Advice.Access(true, "my db", "it's"));
        assertEquals("Forbidden (HTTP 403). No token was sent, and this instance does not let anonymous users write"
                + " there. Get a token with write access: dclient login prod --write 'my db/it'\\''s', or store one:"
                + " dclient auth add prod", e.message(CommandLineAdvice.WORDS));
        DclientException read = PermissionAdvice.refused(401, null, null, TokenSource.NONE, "prod", null);
        assertEquals("Unauthorized (HTTP 401). No token was sent.", read.getMessage());
        assertEquals(new Advice.AddToken("prod", false, null), read.advice());
    }

    @Test
    void theWritePathsShimThrowsTheSameFailure() {
        TokenSource src = new TokenSource(ALICE, TokenOrigin.EXPLICIT, null);
        DclientException e = assertThrows(DclientException.class,
                () -> PermissionAdvice.writeRefused("Permission denied", 403, null, src, "prod", "main", "dogs"));
        assertEquals(PermissionAdvice.refused(403, "Permission denied", null, src, "prod", WRITE_DOGS).advice(),
                e.advice());
    }
}
