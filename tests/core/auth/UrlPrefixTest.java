package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlPrefixTest {

    /** Python dclient's tests/test_utils.py vectors, plus the boundary cases of issue 3. */
    @ParameterizedTest(name = "{0} under {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # Python dclient's url_matches_prefix table
            https://example.com/foo/bar      | https://example.com/foo          | true
            https://example.com/foo/bar2     | https://example.com/foo/bar      | false
            https://example.com/foo/bar/baz  | https://example.com/foo/bar      | true
            https://example.com/foo/bar/baz  | https://example.com/foo          | true
            https://example.com/foo.json     | https://example.com/foo          | true
            http://example.com/foo/bar       | https://example.com/foo          | false
            https://example.org/foo/bar      | https://example.com/foo          | false
            https://example.com/foo          | https://example.com/foo          | true
            # changed on purpose: a trailing slash on the stored key still matches
            https://example.com/foo/bar      | https://example.com/foo/bar/     | true
            https://example.com/foo/bar/baz  | https://example.com/foo/bar/     | true
            https://example.com              | https://example.com/             | true
            https://example.com              | https://example.com//            | true
            https://example.com/             | https://example.com              | true
            # path segment boundaries
            https://a.com/x/y                | https://a.com/x                  | true
            https://a.com/xy                 | https://a.com/x                  | false
            https://a.com/x                  | https://a.com/xy                 | false
            https://a.com/x                  | https://a.com/x/y                | false
            https://a.com/x-y                | https://a.com/x                  | false
            https://a.com/x.jsonx            | https://a.com/x                  | false
            https://a.com/anything/at/all    | https://a.com                    | true
            # hosts: exact, case-insensitive, no suffix tricks
            https://a.com.evil.net           | https://a.com                    | false
            https://a.com.evil.net/x         | https://a.com/                   | false
            https://evil.net/a.com           | https://a.com                    | false
            https://evila.com                | https://a.com                    | false
            https://www.a.com                | https://a.com                    | false
            https://sub.a.com                | https://a.com                    | false
            https://A.COM/x                  | https://a.com                    | true
            https://a.com/x                  | HTTPS://A.com                    | true
            # paths are case-sensitive
            https://a.com/X                  | https://a.com/x                  | false
            # ports: explicit default port equals no port; other ports differ
            https://a.com:443/x              | https://a.com                    | true
            https://a.com/x                  | https://a.com:443                | true
            http://a.com:80/x                | http://a.com                     | true
            http://a.com/x                   | http://a.com:80/                 | true
            https://a.com:8443/x             | https://a.com                    | false
            https://a.com/x                  | https://a.com:8443               | false
            http://localhost:8001            | http://localhost:8001            | true
            http://localhost:8001            | http://localhost:8002            | false
            http://localhost:8001            | http://localhost                 | false
            http://127.0.0.1:8001/db         | http://127.0.0.1:8001/           | true
            http://localhost:8001            | http://127.0.0.1:8001            | false
            # schemes: http and https are different origins, whatever the port
            http://a.com                     | https://a.com                    | false
            https://a.com                    | http://a.com                     | false
            http://a.com:443                 | https://a.com                    | false
            https://a.com:80                 | http://a.com                     | false
            # query and fragment are ignored
            https://a.com/x?_shape=objects   | https://a.com/x                  | true
            https://a.com/x                  | https://a.com/x?y=1              | true
            # keys that are not URLs never match
            https://a.com/x                  | prod                             | false
            https://a.com/x                  | a.com                            | false
            https://a.com/x                  | //a.com/x                        | false
            https://a.com/x                  | ftp://a.com/x                    | false
            https://a.com/x                  | https://                         | false
            """)
    void matches(String url, String prefix, boolean expected) {
        assertEquals(expected, UrlPrefix.matches(url, prefix));
    }

    /** Python dclient's token_for_url cases (longest match wins), plus boundary cases. */
    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            https://foo.com/bar      | https://foo.com=foo                                            | foo
            https://foo.com/bar      | https://foo.com/baz=baz                                        | NONE
            https://foo.com/bar      | https://foo.com=foo, https://foo.com/bar=bar                   | bar
            https://foo.com/bar/baz  | https://foo.com/bar/baz=baz, https://foo.com=foo, https://foo.com/bar=bar | baz
            https://foo.com/bar/baz  | https://foo.com/bar=bar, https://foo.com/bar/baz=baz, https://foo.com=foo | baz
            https://foo.com/bar      | https://foo.com/bar/=slash, https://foo.com=root               | slash
            https://foo.com/barn     | https://foo.com/bar=bar, https://foo.com=root                  | root
            https://foo.com          | https://foo.com/=slash                                         | slash
            https://foo.com          | prod=alias, https://foo.com.evil.net=evil                      | NONE
            https://foo.com:8443/x   | https://foo.com=default-port, https://foo.com:8443=port        | port
            https://foo.com/x        | http://foo.com/x=http, https://foo.com=https                   | https
            """)
    void longestMatchWins(String url, String tokens, String expected) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : tokens.split(",\\s*")) {
            int eq = pair.lastIndexOf('=');
            map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        // through the resolver, as every command and the library look it up
        assertEquals(expected, TokenResolver.resolve(null, java.util.List.of(), url, map, null).token());
    }

    @ParameterizedTest
    @CsvSource({"https://a.com,true", "HTTP://a.com,true", "http://,true", "prod,false", "a.com,false",
            "ftp://a.com,false", "'',false"})
    void isUrl(String s, boolean expected) {
        assertEquals(expected, UrlPrefix.isUrl(s));
    }
}
