package io.datasette.dclient.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.cli.CommandLineAdvice;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which instance and database a command uses, and the error texts when there is none. */
class SessionTest {
    @TempDir
    Path dir;

    static final String NO_INSTANCE = """
            No instance specified. Use -i <url-or-alias>, or configure a default:

                dclient alias add <name> <url>
                dclient default instance <name-or-url>

            Or set the DATASETTE_URL environment variable.""";

    /** prod (default database main), staging (none), prod2 shares prod's URL; default instance from each case. */
    static String config(String defaultInstance) {
        return """
                {"default_instance": %s, "instances": {
                  "prod": {"url": "https://prod.example.com/", "default_database": "main"},
                  "staging": {"url": "https://staging.example.com", "default_database": null},
                  "prod2": {"url": "https://prod.example.com", "default_database": "other"}
                }}""".formatted(defaultInstance == null ? "null" : "\"" + defaultInstance + "\"");
    }

    private Session session(String defaultInstance, String... env) throws Exception {
        Files.writeString(dir.resolve("config.json"), config(defaultInstance));
        CliRunner runner = new CliRunner(dir);
        for (int i = 0; i < env.length; i += 2) runner.env(env[i], env[i + 1]);
        Context ctx = runner.context(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        return new Session(ctx);
    }

    static Stream<Arguments> instances() {
        return Stream.of(
                // -i option, default instance, DATASETTE_URL -> url, alias, source
                Arguments.of("-i alias", "staging", null, null, "https://staging.example.com", "staging", "NAMED"),
                Arguments.of("-i alias keeps the url's slash off", "prod", null, null, "https://prod.example.com", "prod", "NAMED"),
                Arguments.of("-i URL with no alias", "https://x.example.com/", null, null, "https://x.example.com", null, "NAMED"),
                Arguments.of("-i URL matching an alias", "https://staging.example.com/", null, null,
                        "https://staging.example.com", "staging", "NAMED"),
                Arguments.of("-i URL matching two aliases: the first in the file", "https://prod.example.com", null, null,
                        "https://prod.example.com", "prod", "NAMED"),
                Arguments.of("-i beats default and env", "staging", "prod", "https://env.example.com",
                        "https://staging.example.com", "staging", "NAMED"),
                Arguments.of("default alias", null, "staging", "https://env.example.com",
                        "https://staging.example.com", "staging", "DEFAULT"),
                Arguments.of("default URL", null, "https://staging.example.com/", null,
                        "https://staging.example.com", "staging", "DEFAULT"),
                Arguments.of("default URL with no alias", null, "https://y.example.com", null,
                        "https://y.example.com", null, "DEFAULT"),
                Arguments.of("stale default alias falls through to DATASETTE_URL", null, "ghost", "https://env.example.com/",
                        "https://env.example.com", null, "ENV"),
                Arguments.of("DATASETTE_URL", null, null, "https://env.example.com/", "https://env.example.com", null,
                        "ENV"),
                Arguments.of("DATASETTE_URL matching an alias", null, null, "https://staging.example.com",
                        "https://staging.example.com", "staging", "ENV"),
                Arguments.of("empty -i counts as not given", "", null, "https://env.example.com",
                        "https://env.example.com", null, "ENV"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instances")
    void instanceResolution(String what, String option, String defaultInstance, String envUrl, String url, String alias,
            String source) throws Exception {
        Session s = envUrl == null ? session(defaultInstance) : session(defaultInstance, "DATASETTE_URL", envUrl);
        assertEquals(new Instance(url, alias, Instance.From.valueOf(source)), s.instance(option));
    }

    static Stream<Arguments> instanceErrors() {
        return Stream.of(
                Arguments.of("nothing configured", null, null, null, NO_INSTANCE),
                Arguments.of("empty DATASETTE_URL is unset", null, null, "", NO_INSTANCE),
                Arguments.of("stale default and no env", null, "ghost", null, NO_INSTANCE),
                Arguments.of("unknown alias", "nope", "prod", null,
                        "Unknown instance: nope. Use a URL, or add the alias: dclient alias add nope <url>"),
                Arguments.of("bad URL", "https://", null, null, "Not a valid URL: https://"),
                Arguments.of("bad DATASETTE_URL", null, null, "localhost:8001",
                        "Not a valid instance URL: localhost:8001 has no http:// or https://. Did you mean http://localhost:8001?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instanceErrors")
    void instanceErrorsTellWhatToRun(String what, String option, String defaultInstance, String envUrl, String message)
            throws Exception {
        Session s = envUrl == null ? session(defaultInstance) : session(defaultInstance, "DATASETTE_URL", envUrl);
        DclientException e = assertThrows(DclientException.class, () -> s.instance(option));
        assertEquals(message, e.message(CommandLineAdvice.WORDS), "as the command line says it");
        assertEquals(e.advice() == null ? message : message.lines().findFirst().orElseThrow().replaceAll("(\\.) .*", "$1"),
                e.getMessage(), "core's own message is the fact alone; advice, when there is some, is the face's");
    }

    static Stream<Arguments> databases() {
        return Stream.of(
                // -i option, default instance, -d option, DATASETTE_URL, DATASETTE_DATABASE -> database
                Arguments.of("-d wins", "prod", null, "given", null, "envdb", "given"),
                Arguments.of("-i alias default database", "prod", null, null, null, "envdb", "main"),
                Arguments.of("-i URL matching an alias uses its default database", "https://prod.example.com/", null, null,
                        null, null, "main"),
                Arguments.of("default instance's default database", null, "prod", null, null, "envdb", "main"),
                Arguments.of("default URL's alias database", null, "https://prod.example.com", null, null, null, "main"),
                Arguments.of("DATASETTE_URL matching an alias", null, null, null, "https://prod.example.com", null, "main"),
                Arguments.of("the alias named by -i, not the first with its URL", "prod2", null, null, null, null, "other"),
                Arguments.of("alias without a default falls to DATASETTE_DATABASE", "staging", null, null, null, "envdb", "envdb"),
                Arguments.of("URL without alias uses DATASETTE_DATABASE", "https://x.example.com", null, null, null, "envdb",
                        "envdb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void databaseResolution(String what, String option, String defaultInstance, String dOption, String envUrl,
            String envDb, String expected) throws Exception {
        java.util.List<String> env = new java.util.ArrayList<>();
        if (envUrl != null) env.addAll(java.util.List.of("DATASETTE_URL", envUrl));
        if (envDb != null) env.addAll(java.util.List.of("DATASETTE_DATABASE", envDb));
        Session s = session(defaultInstance, env.toArray(String[]::new));
        assertEquals(expected, s.database(dOption, s.instance(option)));
    }

    @Test
    void noDatabaseNamesTheAliasToConfigure() throws Exception {
        Session s = session(null, "DATASETTE_DATABASE", "");
        DclientException e = assertThrows(DclientException.class, () -> s.database(null, s.instance("staging")));
        assertEquals("""
                No database specified. Use -d <name>, or configure a default:

                    dclient default database staging <database>

                Or set the DATASETTE_DATABASE environment variable.""", e.message(CommandLineAdvice.WORDS));
        assertEquals("No database specified.", e.getMessage());
        assertEquals(new Advice.NameDatabase("staging"), e.advice());
    }

    @Test
    void noDatabaseNamesTheUrlWhenThereIsNoAlias() throws Exception {
        Session s = session(null);
        DclientException e = assertThrows(DclientException.class, () -> s.database(null, s.instance("https://x.example.com")));
        assertEquals("""
                No database specified. Use -d <name>, or configure a default:

                    dclient default database https://x.example.com <database>

                Or set the DATASETTE_DATABASE environment variable.""", e.message(CommandLineAdvice.WORDS));
    }

    @Test
    void timeoutComesFromTheEnvironment() throws Exception {
        assertEquals(Duration.ofSeconds(30), session(null).timeout());
        assertEquals(Duration.ofMillis(200), session(null, "DCLIENT_TIMEOUT", "0.2").timeout());
        assertEquals(Duration.ofSeconds(90), session(null, "DCLIENT_TIMEOUT", "90").timeout());
        assertEquals(Duration.ofSeconds(30), session(null, "DCLIENT_TIMEOUT", "").timeout());
    }
}
