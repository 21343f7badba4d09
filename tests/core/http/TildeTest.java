package io.datasette.dclient.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Datasette's tilde-encoding; the first six vectors were observed against a real server. */
class TildeTest {
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "table/with/slashes.csv | table~2Fwith~2Fslashes~2Ecsv",
        "Table With Space In Name | Table+With+Space+In+Name",
        ".c-d | ~2Ec-d",
        "a,b | a~2Cb",
        "x~y | x~7Ey",
        "ü | ~C3~BC",
        "fixtures | fixtures",
        "ABC_xyz-09 | ABC_xyz-09",
        "data.v2 | data~2Ev2",
        "100% | 100~25",
        "a+b | a~2Bb",
        "q?x=1&y#z | q~3Fx~3D1~26y~23z",
        "東京 | ~E6~9D~B1~E4~BA~AC",
        "😀 | ~F0~9F~98~80",
        "'' | ''",
    })
    void encodesLikeDatasette(String name, String encoded) {
        assertEquals(encoded, Tilde.encode(name));
    }
}
