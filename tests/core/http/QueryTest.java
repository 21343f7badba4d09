package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryTest {
    @Test
    void keepsOrderAndRepeatedKeysAndSkipsNulls() {
        Query q = Query.of().add("_shape", "objects").add("_col", "a").add("skip", null).add("_col", "b")
                .add("_size", 5L);
        assertEquals("?_shape=objects&_col=a&_col=b&_size=5", q.toString());
        assertFalse(q.isEmpty());
    }

    @Test
    void emptyIsTheEmptyString() {
        assertEquals("", Query.of().toString());
        assertTrue(Query.of().add("x", null).isEmpty());
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "select * from dogs limit 3 | select+*+from+dogs+limit+3",
        "a&b=c | a%26b%3Dc",
        "São | S%C3%A3o",
        "50% | 50%25",
        "a+b | a%2Bb",
    })
    void valuesArePercentEncodedWithPlusForSpace(String value, String encoded) {
        assertEquals("?sql=" + encoded, Query.of().add("sql", value).toString());
    }

    @Test
    void quotesAndLineBreaksAreEncoded() {
        assertEquals("?sql=select+%27x%27%0Afrom+t", Query.of().add("sql", "select 'x'\nfrom t").toString());
        assertEquals("?a%26b=1", Query.of().add("a&b", "1").toString());
    }
}
