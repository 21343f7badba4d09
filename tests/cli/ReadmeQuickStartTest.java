package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.testing.CliRunner;
import io.datasette.dclient.testing.RecordedDatasette;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's first screen works as written: every command of the quick start is the launcher
 * ({@code ./dclient ...}), runs against the recorded Datasette (standing in for
 * {@code https://latest.datasette.io}, recorded from the same fixtures), one after another in a
 * fresh config directory, and prints exactly the output block that follows it. The table of
 * contents points at headings that exist and lists every section.
 */
class ReadmeQuickStartTest {
    static final Path README = Path.of(System.getProperty("dclient.readme", "README.md"));
    static final String DEMO = "https://latest.datasette.io";
    /** Options the launcher itself handles (tests/launcher covers them); not dclient commands. */
    static final Set<String> LAUNCHER_OPTIONS = Set.of("--install", "--jbang", "--jshell");

    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    Path dir;

    record Block(String lang, List<String> lines) {}

    static List<String> lines() throws Exception {
        return Files.readAllLines(README, StandardCharsets.UTF_8);
    }

    /** The fenced blocks between the quickstart markers, in order. */
    static List<Block> quickStart() throws Exception {
        List<String> lines = lines();
        int start = lines.indexOf("<!-- quickstart:start -->");
        int end = lines.indexOf("<!-- quickstart:end -->");
        assertTrue(start >= 0 && end > start, "README.md has the quickstart markers");
        List<Block> out = new ArrayList<>();
        for (int i = start + 1; i < end; i++) {
            if (!lines.get(i).startsWith("```")) continue;
            String lang = lines.get(i).substring(3).strip();
            List<String> body = new ArrayList<>();
            for (i++; i < end && !lines.get(i).startsWith("```"); i++) body.add(lines.get(i));
            out.add(new Block(lang, body));
        }
        return out;
    }

    /** A command line split as a POSIX shell would (quotes, no expansions), its comment dropped. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                if (w == null) w = new StringBuilder();
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (w != null) words.add(w.toString());
                w = null;
            } else if (c == '#' && w == null) {
                break;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) words.add(w.toString());
        return words;
    }

    @Test
    void theQuickStartRunsAsWrittenAndPrintsWhatItShows() throws Exception {
        List<Block> blocks = quickStart();
        CliRunner cli = new CliRunner(dir);
        int commands = 0;
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            if (!block.lang().equals("bash")) continue;
            StringBuilder out = new StringBuilder();
            for (String line : block.lines()) {
                List<String> words = words(line);
                if (words.isEmpty()) continue;
                assertEquals("./dclient", words.get(0), "the quick start runs the launcher: " + line);
                List<String> args = words.subList(1, words.size()).stream().map(a -> a.replace(DEMO, wm.baseUrl())).toList();
                if (!args.isEmpty() && LAUNCHER_OPTIONS.contains(args.get(0))) continue;
                CliRunner.Result r = cli.run(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), line + "\n" + r);
                assertEquals("", r.err(), line);
                out.append(r.out());
                commands++;
            }
            Block next = b + 1 < blocks.size() ? blocks.get(b + 1) : null;
            if (next != null && next.lang().isEmpty()) {
                assertEquals(String.join("\n", next.lines()) + "\n", out.toString(), "the output shown after " + block);
            } else {
                assertEquals("", out.toString(), "a block that prints something shows it: " + block);
            }
        }
        assertTrue(commands >= 2, "the quick start has commands: " + blocks);
    }

    @Test
    void theFirstCommandReadsRowsFromARealInstance() throws Exception {
        Block first = quickStart().stream().filter(b -> b.lang().equals("bash")).findFirst().orElseThrow();
        List<String> words = words(first.lines().get(0));
        assertEquals(List.of("./dclient", "rows", "-i", DEMO), words.subList(0, 4), first.toString());
    }

    @Test
    void noPlaceholdersWhereARealValueCanBeGiven() throws Exception {
        String text = Files.readString(README);
        for (String placeholder : List.of("<this repository>", "<owner>/<repo>", "dclient@<")) {
            assertFalse(text.contains(placeholder), placeholder);
        }
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    @Test
    void theContentsPointAtHeadingsAndListEverySection() throws Exception {
        List<String> lines = lines();
        Set<String> anchors = new LinkedHashSet<>();
        List<String> sections = new ArrayList<>();
        boolean fenced = false;
        for (String l : lines) {
            if (l.startsWith("```")) fenced = !fenced;
            if (fenced) continue;
            Matcher h = Pattern.compile("^(#{2,4}) (.+)$").matcher(l);
            if (h.matches()) {
                anchors.add(slug(h.group(2)));
                if (h.group(1).length() == 2) sections.add(slug(h.group(2)));
            }
        }
        int start = lines.indexOf("## Contents");
        assertTrue(start > 0, "README.md has a Contents section");
        StringBuilder contents = new StringBuilder();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) contents.append(lines.get(i)).append('\n');
        Matcher link = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(contents);
        Set<String> linked = new LinkedHashSet<>();
        while (link.find()) linked.add(link.group(1));
        for (String a : linked) assertTrue(anchors.contains(a), "the contents link #" + a + " to no heading");
        for (String s : sections) {
            if (!s.equals("contents")) assertTrue(linked.contains(s), "the contents miss the section #" + s);
        }
    }
}
