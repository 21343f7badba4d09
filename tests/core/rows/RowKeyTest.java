package io.datasette.dclient.core.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.core.DclientException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Row identifiers in paths, as the reference doc's examples show Datasette wants them. */
class RowKeyTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "42 | 42",
        "table/with/slashes.csv | table~2Fwith~2Fslashes~2Ecsv",
        "Table With Space | Table+With+Space",
        ".c-d | ~2Ec-d",
        "a,b | a~2Cb",
        "x~y | x~7Ey",
        "ü | ~C3~BC",
        "a+b | a~2Bb",
        "-1_x | -1_x",
    })
    void aValueIsTildeEncoded(String value, String encoded) {
        assertEquals(encoded, RowKey.of(value).segment());
    }

    @Test
    void aCompoundKeyJoinsItsEncodedValuesWithALiteralComma() {
        RowKey key = RowKey.of("a/b", ".c-d");
        assertEquals("a~2Fb,~2Ec-d", key.segment());
        assertEquals("/fixtures/compound_primary_key/a~2Fb,~2Ec-d", key.path("fixtures", "compound_primary_key"));
        assertEquals("/my+db/t~2Ex/1", RowKey.of(List.of(1)).path("my db", "t.x"));
        assertEquals("(a/b, .c-d)", key.describe());
        assertEquals("7", RowKey.of(List.of(7L)).describe());
    }

    @Test
    void aKeyHasValuesAndNoNulls() {
        assertEquals(DclientException.Kind.USAGE, assertThrows(DclientException.class, () -> new RowKey(List.of())).kind());
        assertThrows(DclientException.class, () -> RowKey.of((List<?>) null));
        assertThrows(DclientException.class, () -> RowKey.of(Arrays.asList("a", null)));
    }
}
