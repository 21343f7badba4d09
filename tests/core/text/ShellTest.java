package io.datasette.dclient.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ShellTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "prod|prod",
        "https://example.com/db|https://example.com/db",
        "not a url|'not a url'",
        "it's|'it'\\''s'",
        "$HOME|'$HOME'",
        "a;rm -rf|'a;rm -rf'",
        "\"\"|''",
        "tab\there|'tab\there'",
    })
    void quotesOnlyWhatTheShellWouldInterpret(String in, String out) {
        assertEquals(out.replace("\\t", "\t"), Shell.quote(in.replace("\\t", "\t")));
    }

    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("pass show datasette/prod", List.of("pass", "show", "datasette/prod")),
                Arguments.of("  op   read\top://vault/item  ", List.of("op", "read", "op://vault/item")),
                Arguments.of("sh -c \"echo $TOKEN\"", List.of("sh", "-c", "echo $TOKEN")),
                Arguments.of("sh -c 'echo \"$TOKEN\" | head -1'", List.of("sh", "-c", "echo \"$TOKEN\" | head -1")),
                Arguments.of("get-token 'a b' \"c d\" e\\ f", List.of("get-token", "a b", "c d", "e f")),
                Arguments.of("x \"a\\\"b\\\\c\\d\"", List.of("x", "a\"b\\c\\d")),
                Arguments.of("x '' \"\"", List.of("x", "", "")),
                Arguments.of("x a'b'\"c\"d", List.of("x", "abcd")),
                Arguments.of("x a~b /p/~q '~/r'", List.of("x", "a~b", "/p/~q", "~/r")),
                Arguments.of("x \\|y", List.of("x", "|y")),
                Arguments.of("C:\\\\bin\\\\tok.exe", List.of("C:\\bin\\tok.exe")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void splitsAsAShellSplitsSimpleQuoting(String line, List<String> words) {
        assertEquals(words, Shell.split(line));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("pass show 'x", "a single quote (') is not closed"),
                Arguments.of("pass show \"x", "a double quote (\") is not closed"),
                Arguments.of("pass show x\\", "it ends with a backslash"),
                Arguments.of("pass show x | head -1", "shell syntax (|)"),
                Arguments.of("get-token > out", "shell syntax (>)"),
                Arguments.of("get-token; rm x", "shell syntax (;)"),
                Arguments.of("get-token && x", "shell syntax (&)"),
                Arguments.of("pass show $NAME", "shell syntax ($)"),
                Arguments.of("echo `id`", "shell syntax (`)"),
                Arguments.of("~/bin/get-token", "shell syntax (~)"),
                Arguments.of("x $(id)", "shell syntax ($)"),
                Arguments.of("   ", "it is empty"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("refusals")
    void refusesWhatOnlyAShellCouldRun(String line, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shell.split(line));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
