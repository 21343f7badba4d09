package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.cli.ReferenceDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command reference ({@code docs/reference.md}, linked from README.md) must show every
 * visible command's {@code --help} exactly as HelpRenderer renders it from commands.yaml. Fix a
 * failure with {@code tools/gen-reference}.
 */
class ReadmeReferenceTest {
    private static final String FIX = " (regenerate it: tools/gen-reference)";

    private static String reference() throws Exception {
        Path p = Path.of(ReferenceDoc.FILE);
        assertTrue(Files.exists(p), ReferenceDoc.FILE + " missing (run tests from the repository root)");
        return Files.readString(p);
    }

    @Test
    void theReferenceHasItsHeadingAndMarkers() throws Exception {
        String text = reference();
        assertTrue(text.startsWith(ReferenceDoc.HEADING + "\n"), ReferenceDoc.FILE + " starts with its heading");
        String section = ReferenceDoc.current(text);
        assertNotNull(section, ReferenceDoc.FILE + " needs one " + ReferenceDoc.START + " and, after it, one "
                + ReferenceDoc.END);
    }

    @Test
    void theReadmeLinksToTheReferenceAndHoldsNoCopyOfIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("](" + ReferenceDoc.FILE + ")"), "README.md links to " + ReferenceDoc.FILE);
        assertTrue(!readme.contains(ReferenceDoc.START) && !readme.contains("```\nUsage: dclient"),
                "the generated help lives in " + ReferenceDoc.FILE + " only");
    }

    @Test
    void everyVisibleCommandsHelpIsInTheReadme() throws Exception {
        String section = ReferenceDoc.current(reference());
        assertNotNull(section);
        CommandDef root = CommandSpecs.load();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : ReferenceDoc.helpByCommand(root).entrySet()) {
            if (!section.contains(ReferenceDoc.entry(e.getKey(), e.getValue()))) missing.add(e.getKey());
        }
        assertEquals(List.of(), missing, ReferenceDoc.FILE + "'s --help text is missing or stale for these commands" + FIX);
    }

    @Test
    void theSectionIsExactlyTheGeneratedOne() throws Exception {
        // catches commands that were removed or hidden, and hand edits inside the markers
        assertEquals(ReferenceDoc.section(CommandSpecs.load()), ReferenceDoc.current(reference()),
                ReferenceDoc.FILE + " differs from commands.yaml" + FIX);
    }

    @Test
    void everyVisibleCommandIsCovered() {
        Map<String, String> help = ReferenceDoc.helpByCommand(CommandSpecs.load());
        List<String> expected = new ArrayList<>();
        collect(CommandSpecs.load(), "", expected);
        assertEquals(expected.stream().sorted().toList(), help.keySet().stream().sorted().toList());
        assertTrue(help.containsKey("dclient") && help.containsKey("dclient alias add")
                && help.containsKey("dclient default database"), help.keySet().toString());
        assertEquals("dclient", help.keySet().iterator().next());
    }

    private static void collect(CommandDef def, String prefix, List<String> out) {
        if (def.hidden()) return;
        String path = prefix.isEmpty() ? def.name() : prefix + " " + def.name();
        out.add(path);
        for (CommandDef c : def.commands()) collect(c, path, out);
    }

    @Test
    void updateReplacesOnlyTheSectionAndIsIdempotent() {
        CommandDef root = CommandSpecs.parse("""
                command:
                  name: dc
                  summary: Root
                  handler: fake.Root
                  commands:
                    - name: shown
                      summary: Shown
                      handler: fake.A
                    - name: secret
                      summary: Hidden
                      handler: fake.B
                      hidden: true
                """, id -> true);
        String readme = "# Title\n\nIntro.\n\n" + ReferenceDoc.START + "\nold stuff\n" + ReferenceDoc.END + "\n\n## After\n";
        String updated = ReferenceDoc.update(readme, root);
        assertEquals("# Title\n\nIntro.\n\n" + ReferenceDoc.START + "\n"
                + "## dc\n\n```\n" + HelpRenderer.render(List.of("dc"), root) + "```\n\n"
                + "## dc shown\n\n```\n" + HelpRenderer.render(List.of("dc", "shown"), root.child("shown")) + "```\n"
                + ReferenceDoc.END + "\n\n## After\n", updated);
        assertEquals(updated, ReferenceDoc.update(updated, root));
        assertTrue(!updated.contains("secret"), "hidden commands are left out");
    }

    @Test
    void updateWithoutMarkersSaysWhatIsNeeded() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReferenceDoc.update("# README\n", CommandSpecs.load()));
        assertEquals("docs/reference.md needs exactly one <!-- reference:start --> followed by one <!-- reference:end -->",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> ReferenceDoc.update(
                ReferenceDoc.END + ReferenceDoc.START, CommandSpecs.load()));
    }

    @Test
    void aNewFileHasTheHeadingTheIntroAndTheMarkers() {
        String text = ReferenceDoc.minimal(CommandSpecs.load());
        assertTrue(text.startsWith("# Command reference\n\n" + ReferenceDoc.INTRO + "\n" + ReferenceDoc.START
                + "\n## dclient\n"), text);
        assertEquals(ReferenceDoc.section(CommandSpecs.load()), ReferenceDoc.current(text));
    }
}
