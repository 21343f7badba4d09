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
