package io.datasette.dclient.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.cli.CommandDef;
import io.datasette.dclient.cli.CommandSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No string literal under {@code lib/core} names a command-line option ({@code --token},
 * {@code -i}) or a {@code dclient} command ({@code dclient login prod}): core states facts and
 * attaches {@code Advice}, and each face words it ({@code cli.CommandLineAdvice},
 * {@code api.LibraryAdvice}). The options and commands come from commands.yaml, so a new one
 * is covered without touching this test. Comments may name them (they explain the why).
 *
 * <p>Proved by mutation: {@code "Run: dclient login " + label} added to a message in
 * {@code core.session.Session}, and separately {@code "see --timeout"}, each made this fail
 * naming Session.java, the line and the words.
 */
class CoreSpeaksNoCommandLineTest {
    /**
     * Files another change is rewriting as this rule lands; each must lose its command-line words
     * there, and this list then shrinks (a file listed here that no longer names any fails the test).
     */
    static final Map<String, String> PENDING = Map.of();

    /**
     * Another program's options that core passes to it as whole argv elements ({@code security
     * -i} reads the keychain command on stdin, so the token stays off the command line). Only a
     * literal that is exactly the option counts; the same word inside a message still fails.
     */
    static final Map<String, Set<String>> OTHER_PROGRAMS_ARGV = Map.of(
            "lib/core/auth/MacKeychain.java", Set.of("-i"));

    @Test
    void noStringUnderCoreNamesAnOptionOrACommand() throws IOException {
        Pattern words = commandLineWords(CommandSpecs.load());
        Map<String, List<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("lib/core"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(p);
                for (Literal l : literals(text)) {
                    Matcher m = words.matcher(l.text());
                    String file = p.toString().replace('\\', '/');
                    while (m.find()) {
                        if (l.text().equals(m.group()) && OTHER_PROGRAMS_ARGV.getOrDefault(file, Set.of()).contains(m.group())) {
                            continue; // an argument for another program, not dclient's option
                        }
                        found.computeIfAbsent(file, k -> new ArrayList<>())
                                .add("line " + l.lineOf(m.start()) + ": " + m.group().strip());
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        found.forEach((file, hits) -> {
            if (!PENDING.containsKey(file)) problems.add(file + " names " + hits);
        });
        for (String file : PENDING.keySet()) {
            if (!found.containsKey(file)) problems.add(file + " is PENDING here but names nothing now: take it off the list");
        }
        assertEquals(List.of(), problems);
    }

    /** The checker itself: what it finds and what it leaves alone. */
    @Test
    void theCheckerFindsOptionsAndCommandsInLiteralsOnly() {
        Pattern words = commandLineWords(CommandSpecs.load());
        String source = """
                // dclient login prod in a comment
                /* --token in a block comment */
                String a = "Run: dclient login " + label;
                String b = "pass --token TOKEN";
                String c = \"""
                    dclient alias add <name> <url>
                    \""";
                String d = "use -i URL";
                String e = "rw-r--r--";
                String f = "dclient has not changed it";
                String g = "a \\" --write \\" inside";
                char h = '"';
                String i = "x-i y";
                """;
        List<String> hits = new ArrayList<>();
        for (Literal l : literals(source)) {
            Matcher m = words.matcher(l.text());
            while (m.find()) hits.add(l.lineOf(m.start()) + ":" + m.group().strip());
        }
        assertEquals(List.of("3:dclient login", "4:--token", "6:dclient alias", "8:-i", "11:--write"), hits);
    }

    /** {@code --long} and {@code -s} option names, and {@code dclient COMMAND}, as whole words. */
    static Pattern commandLineWords(CommandDef root) {
        Set<String> options = new TreeSet<>();
        collect(root, options);
        options.addAll(List.of("--help", "-h"));
        String commands = root.commands().stream().map(c -> Pattern.quote(c.name())).collect(Collectors.joining("|"));
        String names = options.stream().sorted((a, b) -> b.length() - a.length()).map(Pattern::quote)
                .collect(Collectors.joining("|"));
        assertTrue(options.contains("--token") && options.contains("-i"), options.toString());
        return Pattern.compile("(?<![\\w-])(?:" + names + ")(?![\\w-])|\\bdclient\\s+(?:(?:" + commands + ")\\b|-)");
    }

    private static void collect(CommandDef c, Set<String> options) {
        c.options().forEach(o -> options.addAll(o.names()));
        c.commands().forEach(child -> collect(child, options));
    }

    record Literal(String text, int line) {
        /** The source line of the character at {@code offset} (a text block spans lines). */
        int lineOf(int offset) {
            return line + count(text, 0, offset);
        }
    }

    /** The string literals and text blocks of Java source, with the line each starts on; comments skipped. */
    static List<Literal> literals(String src) {
        List<Literal> out = new ArrayList<>();
        int line = 1;
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
            } else if (src.startsWith("//", i)) {
                i = src.indexOf('\n', i) - 1;
                if (i < 0) break;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                line += count(src, i, end);
                i = end + 1;
            } else if (c == '\'') {
                i += src.charAt(i + 1) == '\\' ? 3 : 2; // 'x' or '\x' (then the closing quote)
                while (src.charAt(i) != '\'') i++;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (src.charAt(end - 1) == '\\') end = src.indexOf("\"\"\"", end + 1);
                out.add(new Literal(src.substring(i + 3, end), line));
                line += count(src, i, end);
                i = end + 2;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (src.charAt(j) != '"') {
                    if (src.charAt(j) == '\\') sb.append(src.charAt(j++));
                    sb.append(src.charAt(j++));
                }
                out.add(new Literal(sb.toString(), line));
                i = j;
            }
        }
        return out;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (s.charAt(i) == '\n') n++;
        return n;
    }
}
