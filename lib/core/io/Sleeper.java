package io.datasette.dclient.core.io;

import java.time.Duration;

/** Waits; injected so polling code can be tested without really sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
