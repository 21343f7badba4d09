package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.config.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which tables batches may overlap on (only those whose rows meet on nothing but a declared
 * primary key), and when two rows' keys count as the same: whenever SQLite might store them as
 * equal (a false match costs a wait; a missed one would reorder a conflict).
 */
class TableKeysTest {
    static JsonNode answer(String pks, int uniques, int triggers, String type) throws Exception {
        return Json.parse("{\"ok\": true, \"rows\": [{\"pks\": " + Json.compact(Json.mapper().getNodeFactory().textNode(pks))
                + ", \"uniques\": " + uniques + ", \"triggers\": " + triggers + ", \"type\": "
                + (type == null ? "null" : "\"" + type + "\"") + "}]}");
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "[\"id\"]|0|0|table|id",
        "[\"a\",\"b\"]|0|0|table|a,b",
        "[]|0|0|table|NULL",          // a rowid table: rowids follow the order of the inserts
        "[\"id\"]|1|0|table|NULL",    // another UNIQUE index or constraint
        "[\"id\"]|0|2|table|NULL",    // triggers
        "[]|0|0|view|NULL",
        "[]|0|0|NULL|NULL",           // no such table (yet)
        "not json|0|0|table|NULL",
    })
    void whichTablesAreKeyed(String pks, int uniques, int triggers, String type, String columns) throws Exception {
        TableKeys keys = TableKeys.fromAnswer(answer(pks, uniques, triggers, type));
        if (columns == null) {
            assertNull(keys);
        } else {
            assertEquals(List.of(columns.split(",")), keys.columns());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"rows\": []}",
        "{\"ok\": false, \"error\": \"Permission denied\"}",
        "[]",
        "{\"rows\": [{\"pks\": \"[1]\", \"uniques\": 0, \"triggers\": 0, \"type\": \"table\"}]}",
        "{\"rows\": [{\"pks\": \"[\\\"id\\\"]\", \"uniques\": \"0\", \"triggers\": 0, \"type\": \"table\"}]}",
    })
    void anAnswerOfAnotherShapeMeansOneAtATime(String json) throws Exception {
        assertNull(TableKeys.fromAnswer(Json.parse(json)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "1|\"1\"", "1|1.0", "1|\"1.0\"", "1|\" 1 \"", "100000|\"1e5\"", "100000|1E5", "12|\"12.00\"",
        "0|-0.0", "0|\"-0\"", "true|1", "false|0", "\"Rex\"|\"rex\"", "\"Rex\"|\" REX\"", "0.1|\"0.1\"",
        "[1,2]|[1,2]", "12345678901234567890|\"12345678901234567890\"",
    })
    void valuesSqliteMayStoreAsEqualAreTheSameKey(String a, String b) throws Exception {
        assertEquals(TableKeys.normal(Json.parse(a)), TableKeys.normal(Json.parse(b)));
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = '|', value = {"1|2", "1|\"1a\"", "\"a\"|\"b\"", "0.1|0.2", "1|1.5", "\"x1\"|\"x2\""})
    void otherValuesAreOtherKeys(String a, String b) throws Exception {
        assertNotEquals(TableKeys.normal(Json.parse(a)), TableKeys.normal(Json.parse(b)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"id\": 7, \"name\": \"x\"}|7",
        "{\"ID\": 7}|7",                      // SQLite's column names ignore case
        "{\"name\": \"x\"}|NULL",             // no key: the server assigns one
        "{\"id\": null}|NULL",
    })
    void aRowsKey(String row, String key) throws Exception {
        String got = new TableKeys(List.of("id")).of((ObjectNode) Json.parse(row));
        assertEquals("NULL".equals(key) ? null : key, got);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\": 1, \"b\": \"x\"}|{\"b\": \"X\", \"a\": \"1\"}|true",
        "{\"a\": 1, \"b\": \"x\"}|{\"a\": 1, \"b\": \"y\"}|false",
        "{\"a\": \"1\", \"b\": \"\"}|{\"a\": \"\", \"b\": \"1\"}|false",
    })
    void compoundKeys(String one, String two, boolean same) throws Exception {
        TableKeys keys = new TableKeys(List.of("a", "b"));
        String k1 = keys.of((ObjectNode) Json.parse(one));
        String k2 = keys.of((ObjectNode) Json.parse(two));
        assertEquals(same, k1.equals(k2), k1 + " vs " + k2);
        assertNull(keys.of((ObjectNode) Json.parse("{\"a\": 1}")), "a compound key needs every column");
    }
}
