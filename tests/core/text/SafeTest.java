package io.datasette.dclient.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Safe}: a URL's password is never shown, and no bidirectional control reaches a terminal. */
class SafeTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://user:PASSWORD@host/                  | http://user:***@host/
            http://user:PASSWORD@host                   | http://user:***@host
            https://user:PASS WORD@h/                   | https://user:***@h/
            http://user:PASS WORD@h                     | http://user:***@h
            http://us er:PASSWORD@h/                    | http://us er:***@h/
            http://user:pa/ss@host/db                   | http://user:***@host/db
            http://user:pa?ss@host/                     | http://user:***@host/
            http://user:pa#ss@host/                     | http://user:***@host/
            http://user:p@ss@host:8001/x                | http://user:***@host:8001/x
            http://user:%zz%@host/                      | http://user:***@host/
            http://dstok_abc@host/                      | http://***@host/
            http://user:***@host/                       | http://user:***@host/
            http://host/path@x                          | http://host/path@x
            http://host:8001/db/t?email=me@example.com  | http://host:8001/db/t?email=me@example.com
            http://my_host:8001/x@y                     | http://my_host:8001/x@y
            http://[::1]:8001/x@y                       | http://[::1]:8001/x@y
            http://u:p@[::1]:8001/                      | http://u:***@[::1]:8001/
            http://host/                                | http://host/
            """)
    void aUrlOnItsOwnNeverShowsItsPasswordValidOrNot(String url, String shown) {
        assertEquals(shown, Safe.maskUrl(url));
        assertEquals(shown, Safe.maskUrls(url));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Not a valid URL: http://user:PASS@h/ (expected a host)    | Not a valid URL: http://user:***@h/ (expected a host)
            see http://x.com and mail me@y.com                        | see http://x.com and mail me@y.com
            from http://a:b@h/x and http://c:d@i/                     | from http://a:***@h/x and http://c:***@i/
            """)
    void inOtherTextAUrlEndsAtASpace(String text, String shown) {
        assertEquals(shown, Safe.maskUrls(text));
    }

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({
            "061C", "200E", "200F", "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069",
            "2028", "2029"})
    void everyBidirectionalControlIsShownEscaped(String hex) {
        char c = (char) Integer.parseInt(hex, 16);
        String escaped = "\\u" + hex.toLowerCase(java.util.Locale.ROOT);
        assertEquals("Error: " + escaped + "txt.exe", Safe.clean("Error: " + c + "txt.exe"));
        assertEquals("a " + escaped + "b", Safe.line("a " + c + "b"));
    }

    @Test
    void textAroundBidiControlsAndOrdinaryRightToLeftTextStayAsTheyAre() {
        // Arabic and Hebrew letters are text, not controls
        assertEquals("مرحبا שלום", Safe.clean("مرحبا שלום"));
        assertEquals("http://evil/\\u202egpj.exe", Safe.clean("http://evil/\u202egpj.exe"));
        assertEquals("\\x07x\\u2067y\\u2069", Safe.clean("\u0007x\u2067y\u2069"));
        assertEquals("zero\u200Bwidth joiner\u200D", Safe.clean("zero\u200Bwidth joiner\u200D"));
    }
}
