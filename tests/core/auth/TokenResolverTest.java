package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.TokenOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResolverTest {
    static final String URL = "https://prod.example.com/data";

    /** Every combination of the four rungs (each alone, each pair, triples, all, none). */
    static Stream<Arguments> everyCombinationOfRungs() {
        return IntStream.range(0, 16).mapToObj(mask -> {
            List<String> present = new ArrayList<>();
            if ((mask & 1) != 0) present.add("EXPLICIT");
            if ((mask & 2) != 0) present.add("ALIAS");
            if ((mask & 4) != 0) present.add("URL_PREFIX");
            if ((mask & 8) != 0) present.add("ENV");
            String expected = present.isEmpty() ? "NONE" : present.get(0); // listed highest first
            return Arguments.of(String.join("+", present), (mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0,
                    (mask & 8) != 0, expected);
        });
    }

    @ParameterizedTest(name = "[{0}] -> {5}")
    @MethodSource("everyCombinationOfRungs")
    void highestRungPresentWins(String name, boolean flag, boolean alias, boolean prefix, boolean env, String expected) {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("unrelated", "tok-unrelated");
        stored.put("https://other.example.com", "tok-other-origin");
        if (alias) stored.put("prod", "tok-alias");
        if (prefix) stored.put("https://prod.example.com/", "tok-prefix");
        TokenSource s = TokenResolver.resolve(flag ? "tok-flag" : null, List.of("prod"), URL, stored,
                env ? "tok-env" : null);
        assertEquals(TokenOrigin.valueOf(expected), s.origin());
        String expectedToken = switch (expected) {
            case "EXPLICIT" -> "tok-flag";
            case "ALIAS" -> "tok-alias";
            case "URL_PREFIX" -> "tok-prefix";
            case "ENV" -> "tok-env";
            default -> null;
        };
        assertEquals(expectedToken, s.token());
        assertFalse(s.toString().contains("tok-"), s.toString());
        assertFalse(s.facts().toString().contains("tok-"), s.facts().toString());
    }

    @Test
    void theNamedAliasWinsOverAnotherAliasSharingTheUrl() {
        // Python dclient looked the alias up by URL and found "first" even with -i second.
        Map<String, String> stored = Map.of("first", "tok-first", "second", "tok-second");
        TokenSource s = TokenResolver.resolve(null, List.of("second", "first"), URL, stored, null);
        assertEquals("tok-second", s.token());
        assertEquals("second", s.key());
        assertEquals("alias second in auth.json", s.facts().where());
    }

    @Test
    void anotherAliasForTheSameUrlIsTheFallbackBeforeUrlPrefixes() {
        Map<String, String> stored = Map.of("first", "tok-first", "https://prod.example.com", "tok-prefix");
        TokenSource s = TokenResolver.resolve(null, List.of("second", "first"), URL, stored, null);
        assertEquals("tok-first", s.token());
    }

    @Test
    void longestUrlPrefixWinsAndItsKeyIsReported() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("https://prod.example.com", "tok-root");
        stored.put("https://prod.example.com/data/", "tok-data");
        stored.put("https://prod.example.com/dat", "tok-dat");
        TokenSource s = TokenResolver.resolve(null, List.of(), URL, stored, null);
        assertEquals("tok-data", s.token());
        assertEquals("URL prefix https://prod.example.com/data/ in auth.json", s.facts().where());
    }

    @Test
    void surroundingWhitespaceIsDroppedAndBlankStoredTokensAreSkipped() {
        Map<String, String> stored = Map.of("prod", "   ", "https://prod.example.com", " tok-prefix\n");
        TokenSource s = TokenResolver.resolve(null, List.of("prod"), URL, stored, "  ");
        assertEquals(TokenOrigin.URL_PREFIX, s.origin());
        assertEquals("tok-prefix", s.token());
        assertEquals("tok-env", TokenResolver.resolve(null, List.of(), URL, Map.of(), "tok-env\n").token());
        assertEquals(TokenSource.NONE, TokenResolver.resolve(null, List.of(), URL, Map.of("prod", ""), ""));
    }

    @Test
    void anEmptyFlagWinsButSendsNothing() {
        TokenSource s = TokenResolver.resolve("", List.of("prod"), URL, Map.of("prod", "tok-alias"), "tok-env");
        assertEquals(TokenOrigin.EXPLICIT, s.origin());
        assertFalse(s.present());
    }

    @Test
    void noTokenAnywhereIsNone() {
        TokenSource s = TokenResolver.resolve(null, List.of("prod"), URL, Map.of("staging", "x"), null);
        assertEquals(TokenSource.NONE, s);
        assertNull(s.token());
        assertEquals(TokenOrigin.NONE, s.facts().origin());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dstok_AB CD", "dstok_AB\nCD", "dstok_AB\rCD", "dstok_AB\tCD", "dstok_AB\u0000CD",
            "dstok_AB\u00a0CD", "dstok_AB\u2026CD", "dstok_AB\u20acCD", "dstok_AB\u00e9CD"})
    void tokensThatCannotBeSentAreRefusedWithoutShowingThem(String bad) {
        for (TokenOrigin origin : List.of(TokenOrigin.EXPLICIT, TokenOrigin.ALIAS, TokenOrigin.ENV)) {
            DclientException e = assertThrows(DclientException.class, () -> TokenResolver.resolve(
                    origin == TokenOrigin.EXPLICIT ? bad : null, List.of("prod"), URL,
                    origin == TokenOrigin.ALIAS ? Map.of("prod", bad) : Map.of(),
                    origin == TokenOrigin.ENV ? bad : null));
            assertFalse(e.getMessage().contains("AB"), e.getMessage());
            assertTrue(e.getMessage().contains("spaces or control characters"), e.getMessage());
            Advice.ReplaceToken advice = (Advice.ReplaceToken) e.advice();
            assertEquals(Advice.Problem.MALFORMED, advice.problem());
            assertEquals(origin, advice.token().origin(), "the advice names where the token came from");
            assertFalse(advice.toString().contains("AB"), advice.toString());
        }
    }
}
