package io.datasette.dclient.testing;

import io.datasette.dclient.core.io.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the sleeper "sleeps", so polling tests never wait. */
public final class FakeTime {
    public static final Instant START = Instant.parse("2025-01-01T12:00:00Z");

    private FakeTime() {}

    public static final class FakeClock extends Clock {
        private Instant now;

        public FakeClock(Instant start) {
            now = start;
        }

        public FakeClock() {
            this(START);
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Records each requested sleep and advances the clock by it; can simulate Ctrl-C on the n-th sleep. */
    public static final class RecordingSleeper implements Sleeper {
        public final List<Duration> slept = new ArrayList<>();
        private final FakeClock clock;
        private int interruptOnCall = -1;

        public RecordingSleeper(FakeClock clock) {
            this.clock = clock;
        }

        /** The {@code n}-th sleep (1-based) throws InterruptedException, as Ctrl-C would. */
        public RecordingSleeper interruptOn(int n) {
            interruptOnCall = n;
            return this;
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            slept.add(d);
            if (slept.size() == interruptOnCall) throw new InterruptedException("Ctrl-C");
            clock.advance(d);
        }

        public List<Long> seconds() {
            return slept.stream().map(Duration::toSeconds).toList();
        }
    }
}
