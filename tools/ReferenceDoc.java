package io.datasette.dclient.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command reference, {@code docs/reference.md}: every visible command's {@code --help}, as
 * {@link HelpRenderer} renders it, between {@code <!-- reference:start -->} and
 * {@code <!-- reference:end -->}. {@code tools/gen-reference} runs {@link #main} to rewrite it;
 * {@code ReadmeReferenceTest} fails when it drifts. The README links to it.
 *
 * <p>A build tool, so it lives in {@code tools/} and does not ship with dclient: JBang compiles
 * it into {@code tools/GenReference.java} and into the test runner ({@code tests/TestRunner.java}).
 * It keeps the command line's package to use the help renderer as dclient does.
 */
public final class ReferenceDoc {
    public static final String START = "<!-- reference:start -->";
    public static final String END = "<!-- reference:end -->";
    /** Where the reference lives, relative to the repository root. */
    public static final String FILE = "docs/reference.md";
    static final String HEADING = "# Command reference";
    /** What the file says about itself, before the generated part. */
    static final String INTRO = """
            Every dclient command's `--help`, exactly as `dclient COMMAND --help` prints it. Generated from
            [`commands.yaml`](../commands.yaml) by `tools/gen-reference`; `tests/cli/ReadmeReferenceTest` fails
            when it drifts. Back to the [README](../README.md).
            """;

    private ReferenceDoc() {}

    /** Help text by command path ("dclient alias add"), root first, then depth-first in help order. */
    public static Map<String, String> helpByCommand(CommandDef root) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(root, List.of(root.name()), out);
        return out;
    }

    private static void walk(CommandDef def, List<String> path, Map<String, String> out) {
        if (def.hidden()) return;
        out.put(String.join(" ", path), HelpRenderer.render(path, def));
        for (CommandDef c : def.commands().stream().sorted(Comparator.comparing(CommandDef::name)).toList()) {
            List<String> child = new ArrayList<>(path);
            child.add(c.name());
            walk(c, child, out);
        }
    }

    /** One command's entry: a heading and its help in a code block. */
    public static String entry(String command, String help) {
        return "## " + command + "\n\n```\n" + help + "```\n";
    }

    /** What goes between the markers (starts and ends with a line break). */
    public static String section(CommandDef root) {
        List<String> entries = new ArrayList<>();
        helpByCommand(root).forEach((command, help) -> entries.add(entry(command, help)));
        return "\n" + String.join("\n", entries);
    }

    /** The text between the markers, or null when the markers are missing or out of order. */
    public static String current(String readme) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start || readme.indexOf(START, start + 1) >= 0 || readme.indexOf(END, end + 1) >= 0) {
            return null;
        }
        return readme.substring(start + START.length(), end);
    }

    /** The file's text with the generated part regenerated. */
    public static String update(String readme, CommandDef root) {
        if (current(readme) == null) {
            throw new IllegalStateException(FILE + " needs exactly one " + START + " followed by one " + END);
        }
        int start = readme.indexOf(START) + START.length();
        int end = readme.indexOf(END);
        return readme.substring(0, start) + section(root) + readme.substring(end);
    }

    /** The whole file, for a repository that has none yet. */
    public static String minimal(CommandDef root) {
        return HEADING + "\n\n" + INTRO + "\n" + START + section(root) + END + "\n";
    }

    /**
     * {@code [--check] [docs/reference.md [commands.yaml]]}: rewrites the reference (creating the
     * file when there is none), or with {@code --check} only reports whether it is current.
     */
    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean check = rest.remove("--check");
        Path file = Path.of(rest.isEmpty() ? FILE : rest.get(0));
        Path spec = Path.of(rest.size() < 2 ? "commands.yaml" : rest.get(1));
        CommandDef root = CommandSpecs.parse(Files.readString(spec, StandardCharsets.UTF_8), id -> true);
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        String after = before == null ? minimal(root) : update(before, root);
        if (check) {
            boolean same = after.equals(before);
            System.err.println(same ? file + ": command reference is up to date"
                    : file + ": command reference is stale; run tools/gen-reference");
            System.exit(same ? 0 : 1);
        }
        if (!after.equals(before)) {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, after, StandardCharsets.UTF_8);
        }
        System.err.println((before == null ? "Created " : after.equals(before) ? "Unchanged: " : "Updated ") + file
                + " (" + helpByCommand(root).size() + " commands)");
    }
}
