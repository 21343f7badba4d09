package io.datasette.dclient;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * JBang drops {@code //SOURCES} globs for scripts loaded from a URL, so lib/Sources.java and
 * tests/TestSources.java name every file; this keeps those lists in step with the folders.
 */
class SourcesManifestTest {

    @Test
    void libSourcesListsEveryFileUnderLib() throws IOException {
        check(Path.of("lib"), Path.of("lib/Sources.java"), Set.of("Sources.java"));
    }

    @Test
    void testSourcesListsEveryFileUnderTests() throws IOException {
        check(Path.of("tests"), Path.of("tests/TestSources.java"),
                Set.of("TestSources.java", "TestRunner.java"));
    }

    /** Every .java file under dir (but the excluded ones) is listed in manifest, and vice versa. */
    static void check(Path dir, Path manifest, Set<String> excluded) throws IOException {
        Set<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".java") && !excluded.contains(p))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(manifest)) {
            String t = line.strip();
            if (t.startsWith("//SOURCES ")) {
                for (String item : t.substring("//SOURCES ".length()).trim().split("\\s+")) {
                    listed.add(item);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (String f : files) {
            if (!listed.contains(f)) {
                problems.add(dir.resolve(f) + " is not listed in " + manifest + " (add: //SOURCES " + f + ")");
            }
        }
        for (String l : listed) {
            if (!files.contains(l)) {
                problems.add(manifest + " lists //SOURCES " + l + " but " + dir.resolve(l) + " does not exist");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
