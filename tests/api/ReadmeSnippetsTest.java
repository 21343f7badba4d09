package io.datasette.dclient.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code java} and {@code jshell} block of README.md's "Use it from Java" section
 * against the recorded Datasette, so the snippets cannot rot. {@code http://localhost:8001}
 * becomes the WireMock URL; the config directory has the alias {@code local} for it, with the
 * recordings' root token. Java blocks are compiled in memory and their {@code main} run; every
 * line they print must be claimed, in order, by a {@code // prints: ...} comment. JShell blocks
 * are transcripts: each {@code jshell>} line is evaluated in a JShell with the launcher's
 * startup (JShell's default imports plus tools/jshell-startup.jsh), and the {@code name ==> value}
 * line after it must be what JShell shows.
 *
 * <p>Each block runs in a child JVM whose whole environment is {@code DCLIENT_CONFIG_DIR}, as a
 * user's script would run: {@code Datasette.open("local")} and {@code Tokens.open()} read the
 * real process environment, and this test's own (a developer's DATASETTE_TOKEN, say) must not
 * leak into them, nor may dclient offer a test hook to replace it.
 */
class ReadmeSnippetsTest {
    static final String PLACEHOLDER_URL = "http://localhost:8001";
    /** The README (a system property lets a mutation check point the test at a broken copy). */
    static final Path README = Path.of(System.getProperty("dclient.readme", "README.md"));

    /** JShell's DEFAULT startup (the jshell tool's built-in one). */
    static final List<String> JSHELL_DEFAULT_IMPORTS = List.of(
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
            "import java.util.prefs.*;", "import java.util.regex.*;", "import java.util.stream.*;");

    @RegisterExtension
    static final RecordedDatasette wm = RecordedDatasette.recordings();

    @TempDir
    static Path configDir;

    record Block(String lang, String text, int line) {}

    @BeforeAll
    static void start() {
        new ConfigStore(configDir).update(c -> {
            c.putInstance("local", wm.baseUrl());
            return null;
        });
        new AuthStore(configDir).put("local", "dstok_ROOT");
    }

    /** The fenced blocks between the java markers, with the line they start on. */
    static List<Block> blocks() throws Exception {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = lines.indexOf("<!-- java:start -->");
        int end = lines.indexOf("<!-- java:end -->");
        assertTrue(start >= 0 && end > start, "README.md has the java:start/java:end markers");
        List<Block> out = new ArrayList<>();
        for (int i = start + 1; i < end; i++) {
            String l = lines.get(i);
            if (!l.startsWith("```") || l.length() == 3) continue;
            String lang = l.substring(3).strip();
            StringBuilder sb = new StringBuilder();
            int first = i + 1;
            for (i = first; i < end && !lines.get(i).startsWith("```"); i++) sb.append(lines.get(i)).append('\n');
            assertTrue(i < end, "block at README.md line " + first + " is closed");
            out.add(new Block(lang, sb.toString(), first));
        }
        return out;
    }

    static String live(String text) {
        return text.replace(PLACEHOLDER_URL, wm.baseUrl());
    }

    @Test
    void theSectionHasJavaAndJShellSnippets() throws Exception {
        Set<String> langs = blocks().stream().map(Block::lang).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(langs.contains("java") && langs.contains("jshell"), langs.toString());
        assertEquals(Set.of("java", "jshell"), langs.stream().filter(l -> !l.equals("sh") && !l.equals("bash"))
                .collect(Collectors.toSet()), "only java and jshell blocks are run; others would go untested");
    }

    @Test
    void javaSnippetsDeclareTheDependenciesOfDclientJava() throws Exception {
        Set<String> deps = directives(Files.readString(Path.of("dclient.java")), "//DEPS ");
        for (Block b : blocks()) {
            if (!b.lang().equals("java")) continue;
            assertEquals(deps, directives(b.text(), "//DEPS "), "README.md line " + b.line());
            Set<String> sources = directives(b.text(), "//SOURCES ");
            assertEquals(1, sources.size(), "one //SOURCES line");
            assertTrue(sources.iterator().next().endsWith("lib/Sources.java"), sources.toString());
        }
    }

    static Set<String> directives(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @TestFactory
    Stream<DynamicTest> snippetsRun() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Block b : blocks()) {
            String name = b.lang() + " block at README.md line " + b.line();
            if (b.lang().equals("java")) tests.add(DynamicTest.dynamicTest(name, () -> runJava(b)));
            if (b.lang().equals("jshell")) tests.add(DynamicTest.dynamicTest(name, () -> runJShell(b)));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    // ---- java blocks -------------------------------------------------------------------------

    static final Pattern PRINTS = Pattern.compile("^\\s*// prints: (.*)$");

    void runJava(Block b) throws Exception {
        String source = live(b.text());
        Matcher m = Pattern.compile("public\\s+class\\s+(\\w+)").matcher(source);
        assertTrue(m.find(), "the snippet declares a public class");
        String className = m.group(1);
        List<String> expected = new ArrayList<>();
        for (String l : b.text().split("\n")) {
            Matcher p = PRINTS.matcher(l);
            if (p.matches()) expected.add(live(p.group(1)));
        }
        assertFalse(expected.isEmpty(), "the snippet says what it prints with // prints: comments");

        Path classes = Files.createTempDirectory(configDir, "snippet");
        for (Map.Entry<String, byte[]> c : compile(className, source).entrySet()) {
            Path file = classes.resolve(c.getKey().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, c.getValue());
        }
        List<String> cp = new ArrayList<>(classPath());
        cp.add(classes.toString());
        String printed = child(cp, className, List.of(), "", "README.md line " + b.line());
        assertEquals(expected, printed.lines().toList(), "README.md line " + b.line() + ": what main printed");
    }

    /**
     * Runs {@code main} in a child JVM with {@code classPath}, {@code stdin} as its input and only
     * {@code DCLIENT_CONFIG_DIR} in its environment; its stdout, or a failure with its stderr.
     */
    static String child(List<String> classPath, String main, List<String> args, String stdin, String where)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-XX:TieredStopAtLevel=1",
                "-cp", String.join(File.pathSeparator, classPath), main));
        command.addAll(args);
        Path err = Files.createTempFile(configDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().put("DCLIENT_CONFIG_DIR", configDir.toString());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), where + ": the child JVM did not finish");
        assertEquals(0, p.exitValue(), () -> where + ": the child JVM failed:\n" + read(err) + out);
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    static Map<String, byte[]> compile(String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK (not a JRE) runs the tests");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        var files = new ForwardingJavaFileManager<StandardJavaFileManager>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public java.io.OutputStream openOutputStream() {
                        return out.computeIfAbsent(name, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-classpath", String.join(File.pathSeparator, classPath()), "-proc:none");
        boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
        assertTrue(ok, () -> "the snippet compiles:\n" + diagnostics.getDiagnostics().stream()
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n")));
        Map<String, byte[]> bytes = new HashMap<>();
        out.forEach((k, v) -> bytes.put(k, v.toByteArray()));
        return bytes;
    }

    /** Where dclient and its dependencies are, whatever runs the tests (javac'd dirs or a JBang jar). */
    static List<String> classPath() {
        Set<String> paths = new LinkedHashSet<>();
        for (Class<?> c : List.of(Datasette.class, ReadmeSnippetsTest.class, com.fasterxml.jackson.databind.JsonNode.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                picocli.CommandLine.class, org.yaml.snakeyaml.Yaml.class)) {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            assertNotNull(cs, "no code source for " + c);
            try {
                paths.add(Path.of(cs.getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(paths);
    }

    // ---- jshell blocks -----------------------------------------------------------------------

    record Step(String input, String expected, int line) {}

    static List<Step> transcript(Block b) {
        List<Step> steps = new ArrayList<>();
        String[] lines = b.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("jshell> ")) {
                assertTrue(lines[i].isBlank(), "README.md line " + (b.line() + i) + ": output without a prompt: " + lines[i]);
                continue;
            }
            StringBuilder input = new StringBuilder(lines[i].substring("jshell> ".length()));
            int j = i + 1;
            while (j < lines.length && lines[j].startsWith("   ...> ")) input.append('\n').append(lines[j++].substring(8));
            String expected = j < lines.length && !lines[j].isBlank() && !lines[j].startsWith("jshell> ") ? lines[j++] : null;
            steps.add(new Step(input.toString(), expected, b.line() + i));
            i = j - 1;
        }
        return steps;
    }

    void runJShell(Block b) throws Exception {
        List<Step> steps = transcript(b);
        assertFalse(steps.isEmpty());
        List<String> startup = new ArrayList<>(JSHELL_DEFAULT_IMPORTS);
        // What ./dclient --jshell adds on top of the default startup.
        for (String l : Files.readAllLines(Path.of("tools", "jshell-startup.jsh"))) {
            if (!l.isBlank() && !l.strip().startsWith("//")) startup.add(l.strip());
        }
        List<String> snippets = new ArrayList<>(startup);
        steps.forEach(step -> snippets.add(live(step.input())));
        String out = child(classPath(), JShellChild.class.getName(), classPath(),
                Json.compact(Json.mapper().valueToTree(snippets)), "README.md line " + b.line());
        List<JsonNode> results = new ArrayList<>();
        for (String line : out.lines().toList()) results.add(Json.parse(line));
        assertEquals(snippets.size(), results.size(), out);
        for (int i = 0; i < startup.size(); i++) {
            assertFalse(results.get(i).has("error"), "startup: " + startup.get(i) + ": " + results.get(i));
        }
        int n = 0;
        for (Step step : steps) {
            JsonNode result = results.get(startup.size() + n);
            n++;
            String where = "README.md line " + step.line() + ": " + step.input();
            if (result.has("error")) fail(where + ": " + result.path("error").asText());
            if (step.expected() == null) continue;
            String name = result.path("name").isTextual() ? result.path("name").asText() : null;
            assertNotNull(name, where + " has a value to show");
            String expected = live(step.expected());
            int arrow = expected.indexOf(" ==> ");
            assertTrue(arrow > 0, where + ": the expected line reads 'name ==> value'");
            String expectedName = expected.substring(0, arrow);
            if (name.startsWith("$")) {
                // The tool numbers snippets from 1 after its startup; ours count the startup too.
                assertEquals("$" + n, expectedName, where + ": JShell names this value $" + n);
            } else {
                assertEquals(expectedName, name, where);
            }
            assertEquals(expected.substring(arrow + " ==> ".length()), result.path("value").asText(), where);
        }
    }

    /**
     * The JShell side of {@link #runJShell}, in a child JVM: evaluates the snippets on stdin (a
     * JSON list) in order, with {@code args} on its class path, and prints one JSON line per
     * snippet: the variable's {@code name} and {@code value}, or the {@code error}.
     */
    public static final class JShellChild {
        public static void main(String[] args) throws Exception {
            JsonNode snippets = Json.mapper().readTree(System.in);
            PrintStream stdout = System.out;
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            try (JShell shell = JShell.builder().executionEngine("local")
                    .out(new PrintStream(console, true, StandardCharsets.UTF_8))
                    .err(new PrintStream(console, true, StandardCharsets.UTF_8)).build()) {
                for (String path : args) shell.addToClasspath(path);
                for (JsonNode code : snippets) {
                    com.fasterxml.jackson.databind.node.ObjectNode result = Json.object();
                    try {
                        SnippetEvent e = eval(shell, code.asText());
                        if (e.snippet() instanceof jdk.jshell.VarSnippet v) result.put("name", v.name());
                        result.put("value", e.value());
                    } catch (IllegalStateException failed) {
                        result.put("error", failed.getMessage());
                    }
                    stdout.println(Json.compact(result));
                }
            }
        }

        /** Evaluates one snippet as the jshell tool does; a compile error or an exception is an IllegalStateException. */
        static SnippetEvent eval(JShell shell, String code) {
            // Complete the input (e.g. add the missing semicolon) first.
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
            if (!info.completeness().isComplete()) {
                throw new IllegalStateException("not a complete snippet (" + info.completeness() + ")");
            }
            if (!info.remaining().isBlank()) throw new IllegalStateException("one snippet per prompt");
            List<SnippetEvent> events = shell.eval(info.source());
            if (events.isEmpty()) throw new IllegalStateException("nothing evaluated");
            SnippetEvent main = events.get(0);
            if (main.status() == Snippet.Status.REJECTED) {
                throw new IllegalStateException("rejected by JShell: " + shell.diagnostics(main.snippet())
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("; ")));
            }
            if (main.exception() != null) throw new IllegalStateException("threw " + main.exception());
            return main;
        }
    }
}
