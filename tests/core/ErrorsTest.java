package io.datasette.dclient.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors.describe: one place from exception to message, masked and without control characters. */
class ErrorsTest {
    @Test
    void javasRefusedHeaderBecomesACleanLineWithoutTheToken() {
        IllegalArgumentException e = new IllegalArgumentException("invalid header value: \"Bearer dstok_a\u2026b\"");
        String m = Errors.describe(e);
        assertFalse(m.contains("dstok_a"), m);
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("Cannot send the request: a header value (usually the token)"), m);
        // also when wrapped, as the HTTP client does
        String wrapped = Errors.describe(new DclientException("Cannot request http://x/: " + e.getMessage(), e));
        assertEquals(m, wrapped);
    }

    @Test
    void aDclientExceptionKeepsItsLinesButLosesSecretsAndEscapes() {
        DclientException e = new DclientException("Server said: \u001b[31mred\u001b[0m\r\nwith token plainsecretvalue\nsecond line");
        assertEquals("Server said: red\nwith token ***\nsecond line",
                Errors.describe(e, List.of("plainsecretvalue"), null));
    }

    @Test
    void anUnexpectedExceptionIsItsTypeAndFirstLine() {
        assertEquals("IllegalStateException: kaput", Errors.describe(new IllegalStateException("kaput\nmore")));
        assertEquals("NullPointerException", Errors.describe(new NullPointerException()));
        assertEquals("IOException: Could not reach http://u:***@h/",
                Errors.describe(new IOException("Could not reach http://u:pw@h/")));
    }

    @Test
    void stackTracesAreMaskedToo() {
        String t = Errors.stackTrace(new IllegalStateException("Bearer abcdef123456", new RuntimeException("dstok_xyz")),
                List.of());
        assertTrue(t.contains("\tat "), t);
        assertFalse(t.contains("abcdef123456"), t);
        assertFalse(t.contains("dstok_xyz"), t);
    }
}
