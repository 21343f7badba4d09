package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.datasette.dclient.core.text.Safe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link Safe}: the core's rules for printing what came from outside. */
class SafeTextTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://user:PASSWORD@host/ | http://user:***@host/",
        "https://user:p%40ss@host:8443/db?x=1 | https://user:***@host:8443/db?x=1",
        "http://dstok_abc@host | http://***@host",
        "http://u:p@ss@host/x | http://u:***@host/x",
        "Request to http://a:b@h/x failed; see http://c:d@i | Request to http://a:***@h/x failed; see http://c:***@i",
        "http://host/path?email=me@example.com | http://host/path?email=me@example.com",
        "http://host:8001 | http://host:8001",
        "me@example.com and no URL | me@example.com and no URL",
        "http://[::1]:8001/x | http://[::1]:8001/x",
        "http://u:p@[::1]:8001/x | http://u:***@[::1]:8001/x",
    })
    void passwordsInUrlsAreMasked(String text, String expected) {
        assertEquals(expected, Safe.maskUrls(text));
    }

    @Test
    void lineMakesOneCleanReadableLine() {
        assertEquals("Bad thing\\x07", Safe.line("\u001b[31mBad\u001b[0m\r\n thing\u0007"));
        assertEquals("title set", Safe.line("\u001b]0;pwned\u0007title\tset\u009b2J"));
        assertEquals("x".repeat(300) + "…", Safe.line("x".repeat(5000)));
        assertEquals("x".repeat(299) + "…", Safe.line("x".repeat(299) + "\uD83D\uDE00tail"), "no half emoji");
        assertNull(Safe.line(null));
    }

    @Test
    void cleanKeepsTheLineBreaksVisible() {
        assertEquals("a\\nb\\tc\\x7f", Safe.clean("a\nb\tc\u007f"));
        assertEquals("", Safe.clean(null));
        assertEquals("plain", Safe.clean("plain"));
    }
}
