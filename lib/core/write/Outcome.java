package io.datasette.dclient.core.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What became of the input rows a write sent, as the server let it be known: a snapshot taken by
 * {@link BatchSender} after a failure or an interrupt, and the line that tells the user. Rows are
 * numbered from 1 in input order; the spans cover rows 1 to the last row of the last batch that
 * was started, and every row after that was not sent ("the rest of the input").
 *
 * <p>Each batch ends in one of these states: the server confirmed it ({@link State#COMMITTED});
 * it answered with an error, so nothing of it was written ({@link State#FAILED}: Datasette writes
 * a batch in one transaction); it never reached the server whole ({@link State#NOT_SENT}); or its
 * request was sent and no answer came ({@link State#UNCERTAIN}), or is still out when the user
 * interrupts ({@link State#IN_FLIGHT}): either may or may not have been written.
 *
 * <p>When the outcome is one a sequential writer could have had (a prefix confirmed, then one
 * batch that did not go through), the line keeps the short form ("200 rows were inserted before
 * this batch (rows 201-300) failed; ..."); otherwise it lists the ranges ("Rows 1-4,800 and
 * 4,901-5,200 were inserted; rows 4,801-4,900 failed; ...").
 */
final class Outcome {
    enum State { COMMITTED, FAILED, NOT_SENT, UNCERTAIN, IN_FLIGHT }

    /**
     * Consecutive rows in one state: {@code batches} batches (one unless merged); {@code message}
     * the first line of the failure of a FAILED, NOT_SENT or UNCERTAIN span (else null).
     */
    record Span(long first, long last, State state, int batches, String message) {
        Span {
            if (first < 1 || last < first) throw new IllegalArgumentException("rows " + first + "-" + last);
            Objects.requireNonNull(state, "state");
        }

        long rows() {
            return last - first + 1;
        }
    }

    private final List<Span> spans;
    /** The message of the failure reported above the line (the first one in row order), or null. */
    private final String primary;

    /** Spans in row order, each starting where the one before ended; adjacent spans alike are merged. */
    Outcome(List<Span> spans) {
        List<Span> merged = new ArrayList<>();
        long next = 1;
        for (Span s : spans) {
            if (s.first() != next) throw new IllegalArgumentException("span at row " + s.first() + ", expected " + next);
            next = s.last() + 1;
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.state() == s.state() && Objects.equals(last.message(), s.message())) {
                merged.set(merged.size() - 1, new Span(last.first(), s.last(), s.state(), last.batches() + s.batches(),
                        s.message()));
            } else {
                merged.add(s);
            }
        }
        this.spans = List.copyOf(merged);
        String p = null;
        for (Span s : this.spans) {
            if (s.state() != State.COMMITTED && s.state() != State.IN_FLIGHT) {
                p = s.message();
                break;
            }
        }
        this.primary = p;
    }

    List<Span> spans() {
        return spans;
    }

    /** Rows the server confirmed. */
    long committed() {
        long n = 0;
        for (Span s : spans) if (s.state() == State.COMMITTED) n += s.rows();
        return n;
    }

    /**
     * The line after a failure (the failure's own message is above it): what was written, what
     * failed, what may or may not have been written, and that the rest was not sent.
     */
    String afterFailure(String done) {
        long prefix = prefix();
        Span tail = spans.size() == (prefix > 0 ? 2 : 1) ? spans.get(spans.size() - 1) : null;
        if (spans.isEmpty() || (spans.size() == 1 && prefix > 0)) {
            return prefix == 0 ? "Nothing was " + done + "."
                    : count(prefix) + were(prefix) + done + " before this error; the rest of the input was not sent.";
        }
        if (tail != null && tail.batches() == 1 && tail.state() != State.COMMITTED) {
            String batch = range(tail);
            switch (tail.state()) {
                case FAILED -> {
                    return prefix == 0
                            ? "Nothing was " + done + ": the first batch (" + batch + ") failed, and the rest of the input was not sent."
                            : count(prefix) + were(prefix) + done + " before this batch (" + batch
                                    + ") failed; the rest of the input was not sent.";
                }
                case NOT_SENT -> {
                    return prefix == 0
                            ? "Nothing was " + done + ": the first batch (" + batch + ") failed before it was sent,"
                                    + " and the rest of the input was not sent."
                            : count(prefix) + were(prefix) + done + " before this batch (" + batch
                                    + ") failed; it and the rest of the input were not sent.";
                }
                default -> {
                    return prefix == 0
                            ? "The first batch (" + batch + ") may or may not have been " + done
                                    + " (no answer came); the rest of the input was not sent."
                            : count(prefix) + were(prefix) + done + " before this batch (" + batch + "), which may or may not"
                                    + " have been " + done + " (no answer came); the rest of the input was not sent.";
                }
            }
        }
        List<String> clauses = new ArrayList<>();
        List<Span> written = of(State.COMMITTED);
        List<Span> unknown = of(State.UNCERTAIN, State.IN_FLIGHT);
        if (!written.isEmpty()) {
            clauses.add(ranges(written) + (rows(written) == 1 ? " was " : " were ") + done);
        } else if (unknown.isEmpty()) {
            clauses.add("nothing was " + done);
        }
        failures(clauses);
        if (!unknown.isEmpty()) {
            clauses.add(ranges(unknown) + " may or may not have been " + done + " (no answer came)");
        }
        return capitalize(String.join("; ", clauses)) + "; the rest of the input was not sent.";
    }

    /** The line after an interrupt: what the server confirmed, and what was out when it came. */
    String afterInterrupt(String done) {
        long prefix = prefix();
        List<Span> inFlight = of(State.IN_FLIGHT);
        if (spans.isEmpty() || (spans.size() == 1 && prefix > 0)) {
            return prefix == 0 ? "Nothing was " + done + "."
                    : count(prefix) + were(prefix) + done + " before the interruption; the rest of the input was not sent.";
        }
        String confirmed = prefix == 0 && committed() == 0 ? "The server confirmed no rows yet"
                : "The server confirmed " + (prefix == committed() ? count(prefix) : ranges(of(State.COMMITTED))) + " " + done;
        if (spans.size() == (prefix > 0 ? 2 : 1) && inFlight.size() == 1 && inFlight.get(0).batches() == 1) {
            return confirmed + "; the batch in flight (" + range(inFlight.get(0)) + ") may or may not have been " + done
                    + ", and the rest of the input was not sent.";
        }
        List<String> clauses = new ArrayList<>();
        clauses.add(confirmed);
        failures(clauses);
        List<Span> uncertain = of(State.UNCERTAIN);
        if (!uncertain.isEmpty()) clauses.add(ranges(uncertain) + " may or may not have been " + done + " (no answer came)");
        if (!inFlight.isEmpty()) {
            int batches = 0;
            for (Span s : inFlight) batches += s.batches();
            clauses.add((batches == 1 ? "the batch in flight (" : "the batches in flight (") + ranges(inFlight)
                    + ") may or may not have been " + done);
        }
        return String.join("; ", clauses) + ", and the rest of the input was not sent.";
    }

    /** "rows 4,801-4,900 failed", then each other failure with its own message when it differs. */
    private void failures(List<String> clauses) {
        List<String> messages = new ArrayList<>();
        for (Span s : spans) {
            if ((s.state() == State.FAILED || s.state() == State.NOT_SENT) && !messages.contains(s.message())) {
                messages.add(s.message());
            }
        }
        for (String m : messages) {
            List<Span> failed = new ArrayList<>();
            List<Span> unsent = new ArrayList<>();
            for (Span s : spans) {
                if (!Objects.equals(s.message(), m)) continue;
                if (s.state() == State.FAILED) failed.add(s);
                if (s.state() == State.NOT_SENT) unsent.add(s);
            }
            String why = Objects.equals(m, primary) || m == null ? "" : ": " + m;
            if (!failed.isEmpty()) clauses.add(ranges(failed) + " failed" + why);
            if (!unsent.isEmpty()) clauses.add(ranges(unsent) + " failed before they were sent" + why);
        }
    }

    /** Rows 1..n confirmed as the first span (0 when the first span is not confirmed). */
    private long prefix() {
        return !spans.isEmpty() && spans.get(0).state() == State.COMMITTED ? spans.get(0).last() : 0;
    }

    private List<Span> of(State... states) {
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            for (State st : states) if (s.state() == st) out.add(s);
        }
        return out;
    }

    private static long rows(List<Span> list) {
        long n = 0;
        for (Span s : list) n += s.rows();
        return n;
    }

    /** "row 7", "rows 201-300". */
    static String range(Span s) {
        return s.rows() == 1 ? "row " + number(s.first()) : "rows " + number(s.first()) + "-" + number(s.last());
    }

    /** "rows 1-4,800 and 4,901-5,200", "rows 1-300, 401-500 and 601", "row 7". */
    static String ranges(List<Span> list) {
        if (list.size() == 1) return range(list.get(0));
        StringBuilder sb = new StringBuilder("rows ");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) sb.append(i == list.size() - 1 ? " and " : ", ");
            Span s = list.get(i);
            sb.append(number(s.first()));
            if (s.rows() > 1) sb.append('-').append(number(s.last()));
        }
        return sb.toString();
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "1 row", "4,800 rows". */
    static String count(long n) {
        return number(n) + (n == 1 ? " row" : " rows");
    }

    private static String were(long n) {
        return n == 1 ? " was " : " were ";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
