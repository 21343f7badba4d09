package io.datasette.dclient.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.HostileServer;
import io.datasette.dclient.testing.HostileServer.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, item 5: what the server sent is what the user gets, value for value, through every
 * command that prints JSON: {@code rows --nl}, {@code rows} (a JSON array), {@code query} and
 * {@code get} (a small body, read as a tree, and one over 1 MiB, copied as it streams). A value
 * that cannot pass through exactly is an error that says why, never a different value.
 */
class ExactValuesTest {
    @TempDir
    Path dir;

    /** One row {@code {"v": VALUE}} in a Datasette page, padded to {@code pad} bytes. */
    private static byte[] page(byte[] value, int pad) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"ok\": true, \"next_url\": null, \"rows\": [{\"id\": 1}, {\"v\": ".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(value);
        b.writeBytes(("}], \"columns\": [\"v\"], \"truncated\": false, \"pad\": \"" + "x".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private CliRunner.Result run(byte[] body, String... args) {
        try (HostileServer s = HostileServer.start(req -> Reply.json(200, "").body(body))) {
            List<String> all = new java.util.ArrayList<>(List.of(args));
            all.addAll(List.of("-i", s.baseUrl()));
            return new CliRunner(dir).run(all.toArray(String[]::new));
        }
    }

    /** The commands, and how each lays out the row {@code {"v": OUT}}. */
    static final String[][] COMMANDS = {
        {"rows db t --all --nl", "{\"v\": %s}\n"},
        {"rows db t --all", "  {\n    \"v\": %s\n  }\n]\n"},
        {"query db select", "  {\n    \"v\": %s\n  }\n]\n"},
        {"get /db/t.json", "    {\n      \"v\": %s\n    }\n  ],\n"},
        {"get /db/t.json (over 1 MiB)", "    {\n      \"v\": %s\n    }\n  ],\n"},
    };

    static Stream<Arguments> values() {
        String deep = "[".repeat(999) + "]".repeat(999);
        Object[][] values = {
            {"5e0", "5e0"}, {"1.5e1", "1.5e1"}, {"-0.0", "-0.0"}, {"-0", "-0"}, {"1e-07", "1e-07"}, {"1E+400", "1E+400"},
            {"10.50", "10.50"}, {"0.1", "0.1"}, {"123456789012345678901234567890", "123456789012345678901234567890"},
            {"\"\\ud800\"", "\"\\uD800\""}, {"\"x\\udc00y\"", "\"x\\uDC00y\""}, {"\"\\ud83d\\ude00\"", "\"😀\""},
            {"\"a\\/b \\u00e9\"", "\"a/b é\""}, {"\"tab\\there\\u0001\"", "\"tab\\there\\u0001\""},
        };
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String[] c : COMMANDS) {
            for (Object[] v : values) cases.add(Arguments.of(c[0], v[0], c[1].formatted(v[1])));
            if (c[0].startsWith("rows") && c[0].endsWith("--nl")) cases.add(Arguments.of(c[0], deep, c[1].formatted(deep)));
        }
        return cases.build();
    }

    private static String[] args(String command) {
        String[] words = command.replace(" (over 1 MiB)", "").split(" ");
        return words[0].equals("query") ? new String[] {"query", "db", "select 1"} : words;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("values")
    void valuesPassThroughExactly(String command, String value, String expected) {
        byte[] body = page(value.getBytes(StandardCharsets.UTF_8), command.contains("over 1 MiB") ? 1 << 20 : 0);
        CliRunner.Result r = run(body, args(command));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains(expected), "expected\n" + expected + "\nin\n" + r.out());
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--csv", "--tsv", "-t"})
    void textOutputsKeepNumbersAndRefuseALoneSurrogate(String format) {
        CliRunner.Result r = run(page("-0.0".getBytes(StandardCharsets.UTF_8), 0), "rows", "db", "t", format);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("-0.0"), r.out());
        r = run(page("\"a\\ud800\"".getBytes(StandardCharsets.UTF_8), 0), "rows", "db", "t", format);
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Row 2, column v, holds a lone surrogate (\\uD800), which has no UTF-8 form for this output;"
                + " --json and --nl keep it as an escape\n", r.err());
    }

    static Stream<Arguments> refused() {
        byte[] overlong = {'"', 'a', (byte) 0xC0, (byte) 0xAF, '"'}; // "/" written in two bytes: not UTF-8
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}; // U+D800 in UTF-8 form
        byte[] tooDeep = ("[".repeat(2001) + "]".repeat(2001)).getBytes(StandardCharsets.UTF_8);
        String notUtf8 = "bytes that are not UTF-8 (C0 AF at byte 59, in row 2)";
        return Stream.of(
                Arguments.of("rows db t --all --nl", overlong, notUtf8),
                Arguments.of("rows db t --all", overlong, notUtf8),
                Arguments.of("query db select", overlong, notUtf8),
                Arguments.of("rows db t --all --nl", surrogate, "bytes that are not UTF-8 (ED A0 80 at byte 58, in row 2)"),
                Arguments.of("rows db t --all --nl", tooDeep, "values nested more than 2000 levels deep, more than dclient reads"),
                Arguments.of("query db select", tooDeep, "values nested more than 2000 levels deep, more than dclient reads"),
                Arguments.of("get /db/t.json (over 1 MiB)", overlong, "is not valid JSON after"),
                Arguments.of("get /db/t.json (over 1 MiB)", tooDeep, "is not valid JSON after"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refused")
    void whatCannotPassThroughIsAnErrorThatSaysWhy(String command, byte[] value, String why) {
        boolean big = command.contains("over 1 MiB");
        CliRunner.Result r = run(page(value, big ? 1 << 20 : 0), args(command));
        assertEquals(1, r.exitCode(), r.toString());
        if (big) { // streamed: what came before the bad value is out already (get says the output is incomplete)
            assertTrue(r.err().startsWith("Error: The response from http://127.0.0.1:") && r.err().contains(why), r.err());
            return;
        }
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().startsWith("Error: Response from http://127.0.0.1:"), r.err());
        assertTrue(r.err().contains(" was not valid JSON (HTTP 200): ") && r.err().contains(why), r.err());
    }
}
