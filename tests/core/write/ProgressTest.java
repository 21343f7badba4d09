package io.datasette.dclient.core.write;

import io.datasette.dclient.testing.TestClock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line: a bar when the input size is known, rows and rows/s, redrawn in place. */
class ProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final TestClock clock = new TestClock(0);

    String err() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBarForAFileAndTheRate() {
        Progress p = new Progress(err, clock, "Inserting rows", 1000);
        clock.advance(2000);
        p.update(5000, 250);
        assertEquals("\rInserting rows  [#########---------------------------]   25%  5,000 rows  2,500 rows/s", err());
        clock.advance(50);
        p.update(5100, 260); // within 100 ms of the last draw: not redrawn
        assertEquals(1, err().split("\r", -1).length - 1);
        clock.advance(1950);
        p.update(12000, 1000);
        p.end(true);
        String[] draws = err().split("\r");
        assertEquals("Inserting rows  [####################################]  100%  12,000 rows  3,000 rows/s\n",
                draws[draws.length - 1]);
    }

    @Test
    void noBarForStdinAndShorterLinesAreBlankedOut() {
        Progress p = new Progress(err, clock, "Upserting rows", -1);
        clock.advance(1000);
        p.update(123456, -1);
        clock.advance(1000);
        p.update(1, -1);
        assertEquals("\rUpserting rows  123,456 rows  123,456 rows/s\rUpserting rows  1 row  1 rows/s" + " ".repeat(13), err());
    }

    @Test
    void aFailureBeforeAnythingWasDrawnPrintsNothing() {
        new Progress(err, clock, "Inserting rows", 10).end(false);
        Progress.NONE.update(5, 5);
        Progress.NONE.end(true);
        assertEquals("", err());
    }
}
