package io.datasette.dclient.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --help} of the auth commands reads as the user's document shows it (the "dclient auth
 * --help" ... "dclient actor --help" sections of the seed, copied verbatim below). Only
 * whitespace and line wrapping are normalised: the document's web rendering lost the
 * indentation.
 */
class AuthHelpTest {
    @TempDir
    Path dir;

    static final String AUTH = """
            Usage: dclient auth [OPTIONS] COMMAND [ARGS]...
            Manage authentication for different instances
            Options:
            --help Show this message and exit.
            Commands:
            add Add an authentication token for an alias or URL
            list List stored API tokens
            remove Remove the API token for an alias or URL
            status Verify authentication by calling /-/actor.json
            """;

    static final String AUTH_ADD = """
            Usage: dclient auth add [OPTIONS] ALIAS_OR_URL
            Add an authentication token for an alias or URL
            Example usage:
            dclient auth add prod
            dclient auth add https://datasette.io
            Paste in the token when prompted.
            Options:
            --token TEXT
            --help Show this message and exit.
            """;

    static final String AUTH_LIST = """
            Usage: dclient auth list [OPTIONS]
            List stored API tokens
            Example usage:
            dclient auth list
            Options:
            --help Show this message and exit.
            """;

    static final String AUTH_REMOVE = """
            Usage: dclient auth remove [OPTIONS] ALIAS_OR_URL
            Remove the API token for an alias or URL
            Example usage:
            dclient auth remove prod
            Options:
            --help Show this message and exit.
            """;

    static final String AUTH_STATUS = """
            Usage: dclient auth status [OPTIONS]
            Verify authentication by calling /-/actor.json
            Example usage:
            dclient auth status
            dclient auth status -i prod
            Options:
            -i, --instance TEXT Datasette instance URL or alias
            --token TEXT API token
            --help Show this message and exit.
            """;

    static final String ACTOR = """
            Usage: dclient actor [OPTIONS]
            Show the actor represented by an API token
            Example usage:
            dclient actor
            dclient actor -i prod
            Options:
            -i, --instance TEXT Datasette instance URL or alias
            --token TEXT API token
            --help Show this message and exit.
            """;

    static String normalise(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    static String expected(String name) {
        return switch (name) {
            case "AUTH" -> AUTH;
            case "AUTH_ADD" -> AUTH_ADD;
            case "AUTH_LIST" -> AUTH_LIST;
            case "AUTH_REMOVE" -> AUTH_REMOVE;
            case "AUTH_STATUS" -> AUTH_STATUS;
            default -> ACTOR;
        };
    }

    @ParameterizedTest(name = "dclient {0}")
    @CsvSource({
            "auth --help, AUTH", "auth, AUTH",
            "auth add --help, AUTH_ADD",
            "auth list --help, AUTH_LIST",
            "auth remove --help, AUTH_REMOVE",
            "auth status --help, AUTH_STATUS",
            "actor --help, ACTOR"})
    void helpReadsAsTheDocumentShowsIt(String command, String section) {
        CliRunner.Result r = new CliRunner(dir).run(command.split(" "));
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err());
        assertEquals(normalise(expected(section)), normalise(r.out()));
    }
}
