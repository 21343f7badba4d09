package io.datasette.dclient.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
