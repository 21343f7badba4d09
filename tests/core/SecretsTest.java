package io.datasette.dclient.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Secrets.mask: token- and credential-shaped text never reaches the user. */
class SecretsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Token dstok_abc.def-123 was rejected             | Token dstok_*** was rejected
            invalid header value: "Bearer dstok_a…b"         | invalid header value: "Bearer ***"
            invalid header value: "Bearer s3cr3t with space" | invalid header value: "Bearer ***"
            Authorization: Bearer abcdef123456               | Authorization: Bearer ***
            Authorization: Basic dXNlcjpwYXNz               | Authorization: Basic ***
            send a bearer token                              | send a bearer token
            (Authorization: Bearer ***)                      | (Authorization: Bearer ***)
            DATASETTE_TOKEN=abcdef0123456789abcdef           | DATASETTE_TOKEN=***
            "access_token": "Zx81kqP0aa9zzYYx12"             | "access_token": "***"
            token expired at 2025-01-01                      | token expired at 2025-01-01
            the token came from alias prod in auth.json      | the token came from alias prod in auth.json
            password: hunter2hunter2hunter2X                 | password: ***
            Could not connect to http://bob:PASSWORD@h:8001/x | Could not connect to http://bob:***@h:8001/x
            -i https://dstok_abc@example.com/                | -i https://***@example.com/
            already https://bob:***@h/ masked                | already https://bob:***@h/ masked
            mail bob@example.com about it                    | mail bob@example.com about it
            """)
    void masksTokenAndCredentialShapes(String in, String out) {
        assertEquals(out, Secrets.mask(in));
    }

    @Test
    void masksKnownValuesWhereverTheyAppearEvenWithoutATokenShape() {
        String token = "plainsecretvalue";
        assertEquals("Unexpected answer: *** (and ***)",
                Secrets.mask("Unexpected answer: plainsecretvalue (and plainsecretvalue)", List.of(token)));
        // URL-encoded, as it appears in a query string
        assertEquals("GET /x?t=***", Secrets.mask("GET /x?t=a%2Bb%3Dcdef", List.of("a+b=cdef")));
        // a token with a line break shows up one line at a time
        String crlf = "dstok_a b\r\nX-Evil: 1";
        String masked = Secrets.mask("header value: \"Bearer dstok_a b\nX-Evil: 1\"", List.of(crlf));
        assertFalse(masked.contains("X-Evil: 1"), masked);
        assertFalse(masked.contains("a b"), masked);
    }

    static final String TOKEN = "ab/cd+ef==Zq81kT0pLm";

    /** The token as servers echo it: re-encoded, in another case, cut short, or only a piece of it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            as is                        | Invalid token ab/cd+ef==Zq81kT0pLm given
            percent-encoded, / kept      | Invalid token ab/cd%2Bef%3D%3DZq81kT0pLm given
            percent-encoded, lower hex   | Invalid token ab%2fcd%2bef%3d%3dZq81kT0pLm given
            form-encoded                 | GET /x?token=ab%2Fcd%2Bef%3D%3DZq81kT0pLm&y=1
            tilde-encoded                | no such table ab~2Fcd~2Bef~3D~3DZq81kT0pLm
            JSON-escaped slash           | {"error": "bad token ab\\/cd+ef==Zq81kT0pLm"}
            upper case                   | INVALID TOKEN AB/CD+EF==ZQ81KT0PLM GIVEN
            lower case                   | invalid token ab/cd+ef==zq81kt0plm given
            minus the last character     | Invalid token ab/cd+ef==Zq81kT0pL…
            minus the last four          | Invalid token ab/cd+ef==Zq81kT…
            the first eight              | Invalid token ab/cd+ef… (truncated)
            a middle piece               | the key contains ef==Zq81kT0 which is wrong
            the last eight               | token ending 81kT0pLm expired
            """)
    void everyEchoOfAKnownTokenIsMasked(String how, String text) {
        String masked = Secrets.mask(text, List.of(TOKEN));
        String lower = masked.toLowerCase(java.util.Locale.ROOT);
        assertTrue(masked.contains(Secrets.MASK), how + ": " + masked);
        for (String form : List.of(TOKEN, "ab/cd%2bef%3d%3dzq81kt0plm", "ab~2fcd~2bef~3d~3dzq81kt0plm")) {
            String f = form.toLowerCase(java.util.Locale.ROOT);
            for (int i = 0; i + Secrets.PIECE <= f.length(); i++) {
                assertFalse(lower.contains(f.substring(i, i + Secrets.PIECE)), how + ": " + masked);
            }
        }
    }

    @Test
    void whatSurroundsAnEchoedTokenStays() {
        assertEquals("Invalid token *** given", Secrets.mask("Invalid token ab/cd%2Bef%3D%3DZq81kT0pLm given",
                List.of(TOKEN)));
        assertEquals("Invalid token ***… (truncated)", Secrets.mask("Invalid token ab/cd+ef… (truncated)", List.of(TOKEN)));
        // seven characters of it are not enough to tell it from ordinary text
        assertEquals("see ab/cd+e here", Secrets.mask("see ab/cd+e here", List.of(TOKEN)));
    }

    @Test
    void veryShortKnownValuesAreLeftAloneSoOrdinaryWordsSurvive() {
        assertEquals("no such table: dogs", Secrets.mask("no such table: dogs", List.of("t", "ab", "", "***")));
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertNull(Secrets.mask(null));
        assertEquals("", Secrets.mask("", List.of("secret")));
        assertEquals("Bearer ***", Secrets.mask("Bearer abcdef123"));
        assertEquals("Bearer ***", Secrets.mask("Bearer ***"), "a masked value is not masked again");
    }
}
