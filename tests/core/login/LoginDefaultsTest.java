package io.datasette.dclient.core.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.config.ConfigStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoginDefaults' policy without a server (the listing path, and the words, are LoginCommandTest's):
 * which instance and database become defaults after a login.
 */
class LoginDefaultsTest {
    @TempDir
    Path dir;

    /** No server is asked in these cases: a listing would fail on this closed port. */
    static final LoginDefaults.Listing NO_SERVER = new LoginDefaults.Listing(io.datasette.dclient.core.http.SocketTransport.fromEnv(java.util.Map.of()),
            java.time.Duration.ofMillis(1), null);

    Config config() {
        return new ConfigStore(dir).load();
    }

    @Test
    void pickDatabaseFollowsPython() {
        assertEquals("only", LoginDefaults.pickDatabase(List.of("only")));
        assertEquals("data", LoginDefaults.pickDatabase(List.of("a", "data")));
        assertEquals("a", LoginDefaults.pickDatabase(List.of("a", "b")));
        assertNull(LoginDefaults.pickDatabase(List.of()));
    }

    @Test
    void aFirstLoginWithATokenForOneDatabaseSetsBoth() {
        LoginDefaults.Outcome o = LoginDefaults.apply(dir,
                new LoginDefaults.Login("https://x.example", "https://x.example/", false, "t"), List.of("fixtures"),
                NO_SERVER);
        assertEquals(new LoginDefaults.Outcome("https://x.example", "fixtures", "https://x.example", List.of(), null), o);
        assertEquals("https://x.example", config().defaultInstance());
        assertEquals("fixtures", config().instance("https://x.example").defaultDatabase());
    }

    @Test
    void severalDatabasesAreChoicesAndNothingIsPickedForThem() {
        LoginDefaults.Outcome o = LoginDefaults.apply(dir, new LoginDefaults.Login("https://x.example", "https://x.example",
                false, "t"), List.of("a", "b"), NO_SERVER);
        assertEquals(List.of("a", "b"), o.choices());
        assertNull(o.databaseSet());
        assertEquals("https://x.example", o.instanceSet());
    }

    @Test
    void aDefaultInstanceElsewhereIsLeftAlone() {
        new ConfigStore(dir).update(c -> {
            c.putInstance("other", "https://other.example");
            c.setDefaultInstance("other");
            return null;
        });
        LoginDefaults.Outcome o = LoginDefaults.apply(dir, new LoginDefaults.Login("https://x.example", "https://x.example",
                false, "t"), List.of("fixtures"), NO_SERVER);
        assertEquals(new LoginDefaults.Outcome(null, null, null, List.of(), null), o);
        assertEquals("other", config().defaultInstance());
        assertNull(config().instance("https://x.example"));
    }
}
