package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.datasette.dclient.cli.Invocation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', JSON",
        "table, TABLE",
        "nl, NL",
        "tsv, TSV",
        "csv, CSV",
        "csv tsv nl table, CSV",
        "tsv nl table, TSV",
        "nl table, NL",
        "table csv, CSV",
    })
    void precedenceIsCsvTsvNlTableJson(String flags, Format expected) {
        Map<String, Object> values = new HashMap<>();
        for (String f : flags.split(" ")) {
            if (!f.isEmpty()) values.put(f, Boolean.TRUE);
        }
        values.put("json", null);
        assertEquals(expected, Format.from(Invocation.of("query", values)));
    }
}
