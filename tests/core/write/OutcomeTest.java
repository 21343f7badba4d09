package io.datasette.dclient.core.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.core.write.Outcome.Span;
import io.datasette.dclient.core.write.Outcome.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The line after a failed or interrupted write, from what became of each batch. Batches are
 * written {@code STATE:FIRST-LAST} (C committed, F failed, N not sent, U no answer, I in flight),
 * with {@code /MESSAGE} for a failure whose message differs from the first failure's.
 */
class OutcomeTest {
    static Outcome outcome(String batches) {
        List<Span> spans = new ArrayList<>();
        if (!batches.isBlank()) {
            for (String b : batches.trim().split("\\s+")) {
                String[] kv = b.split(":", 2);
                String[] rangeAndMessage = kv[1].split("/", 2);
                String[] range = rangeAndMessage[0].split("-");
                long first = Long.parseLong(range[0]);
                long last = range.length > 1 ? Long.parseLong(range[1]) : first;
                State state = switch (kv[0]) {
                    case "C" -> State.COMMITTED;
                    case "F" -> State.FAILED;
                    case "N" -> State.NOT_SENT;
                    case "U" -> State.UNCERTAIN;
                    case "I" -> State.IN_FLIGHT;
                    default -> throw new IllegalArgumentException(kv[0]);
                };
                String message = state == State.COMMITTED || state == State.IN_FLIGHT ? null
                        : rangeAndMessage.length > 1 ? rangeAndMessage[1].replace('_', ' ') : "the error";
                spans.add(new Span(first, last, state, 1, message));
            }
        }
        return new Outcome(spans);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // nothing sent, or everything sent went through (a read error after it)
        "''|Nothing was inserted.",
        "C:1-100 C:101-200|200 rows were inserted before this error; the rest of the input was not sent.",
        "C:1|1 row was inserted before this error; the rest of the input was not sent.",
        // one batch after a confirmed prefix: the short forms
        "F:1-100|Nothing was inserted: the first batch (rows 1-100) failed, and the rest of the input was not sent.",
        "F:1|Nothing was inserted: the first batch (row 1) failed, and the rest of the input was not sent.",
        "C:1-4800 F:4801-4900|4,800 rows were inserted before this batch (rows 4,801-4,900) failed; the rest of the input was not sent.",
        "N:1-100|Nothing was inserted: the first batch (rows 1-100) failed before it was sent, and the rest of the input was not sent.",
        "C:1-100 N:101-200|100 rows were inserted before this batch (rows 101-200) failed; it and the rest of the input were not sent.",
        "U:1-100|The first batch (rows 1-100) may or may not have been inserted (no answer came); the rest of the input was not sent.",
        "C:1-100 U:101-200|100 rows were inserted before this batch (rows 101-200), which may or may not have been inserted (no answer came); the rest of the input was not sent.",
        // out of order: the ranges
        "C:1-4800 F:4801-4900 C:4901-5000 C:5001-5200|Rows 1-4,800 and 4,901-5,200 were inserted; rows 4,801-4,900 failed; the rest of the input was not sent.",
        "F:1-10 C:11-20|Rows 11-20 were inserted; rows 1-10 failed; the rest of the input was not sent.",
        "C:1-10 F:11-20 F:21-30|Rows 1-10 were inserted; rows 11-30 failed; the rest of the input was not sent.",
        "C:1-10 F:11-20 C:21-30 F:31-40/NOT_NULL_constraint_failed C:41-50|Rows 1-10, 21-30 and 41-50 were inserted; rows 11-20 failed; rows 31-40 failed: NOT NULL constraint failed; the rest of the input was not sent.",
        "C:1-10 U:11-20 C:21-30 U:31-40|Rows 1-10 and 21-30 were inserted; rows 11-20 and 31-40 may or may not have been inserted (no answer came); the rest of the input was not sent.",
        "C:1-10 F:11-20 U:21-30/reset|Rows 1-10 were inserted; rows 11-20 failed; rows 21-30 may or may not have been inserted (no answer came); the rest of the input was not sent.",
        "U:1-10 C:11-20|Rows 11-20 were inserted; rows 1-10 may or may not have been inserted (no answer came); the rest of the input was not sent.",
        "F:1-10 F:11-20/other|Nothing was inserted; rows 1-10 failed; rows 11-20 failed: other; the rest of the input was not sent.",
        "C:1-10 N:11-20 C:21-30|Rows 1-10 and 21-30 were inserted; rows 11-20 failed before they were sent; the rest of the input was not sent.",
        "C:1-10 F:11-20 C:21|Rows 1-10 and 21 were inserted; rows 11-20 failed; the rest of the input was not sent.",
    })
    void afterAFailure(String batches, String line) {
        assertEquals(line, outcome(batches).afterFailure("inserted"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''|Nothing was upserted.",
        "C:1-300|300 rows were upserted before the interruption; the rest of the input was not sent.",
        "I:1-100|The server confirmed no rows yet; the batch in flight (rows 1-100) may or may not have been upserted, and the rest of the input was not sent.",
        "C:1-100 I:101-200|The server confirmed 100 rows upserted; the batch in flight (rows 101-200) may or may not have been upserted, and the rest of the input was not sent.",
        "C:1-100 I:101-200 I:201-300|The server confirmed 100 rows upserted; the batches in flight (rows 101-300) may or may not have been upserted, and the rest of the input was not sent.",
        "C:1-3900 I:3901-4000 C:4001-4100 I:4101-4400|The server confirmed rows 1-3,900 and 4,001-4,100 upserted; the batches in flight (rows 3,901-4,000 and 4,101-4,400) may or may not have been upserted, and the rest of the input was not sent.",
        "C:1-10 F:11-20 I:21-30|The server confirmed 10 rows upserted; rows 11-20 failed; the batch in flight (rows 21-30) may or may not have been upserted, and the rest of the input was not sent.",
        "I:1-10 C:11-20|The server confirmed rows 11-20 upserted; the batch in flight (rows 1-10) may or may not have been upserted, and the rest of the input was not sent.",
    })
    void afterAnInterrupt(String batches, String line) {
        assertEquals(line, outcome(batches).afterInterrupt("upserted"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"C:2-10", "C:1-10 C:12-20", "C:1-10 C:5-20"})
    void spansMustCoverTheRowsFromTheFirstWithoutAGap(String batches) {
        assertThrows(IllegalArgumentException.class, () -> outcome(batches));
    }
}
