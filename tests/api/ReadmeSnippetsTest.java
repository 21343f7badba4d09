package io.datasette.dclient.api;

import io.datasette.dclient.core.io.Context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.testing.RecordedDatasette;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
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
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.junit.jupiter.api.AfterAll;
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
        Context.overrideProcess(Map.of("DCLIENT_CONFIG_DIR", configDir.toString()), Map.of());
    }

    @AfterAll
    static void stop() {
        Context.overrideProcess(null, null);
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

        Map<String, byte[]> classes = compile(className, source);
        ClassLoader loader = new BytesLoader(classes, Datasette.class.getClassLoader());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            loader.loadClass(className).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            fail("README.md line " + b.line() + ": main threw " + e.getCause(), e.getCause());
        } finally {
            System.setOut(realOut);
        }
        List<String> printed = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(expected, printed, "README.md line " + b.line() + ": what main printed");
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
        for (Class<?> c : List.of(Datasette.class, com.fasterxml.jackson.databind.JsonNode.class,
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

    /** Defines the given classes, delegating everything else to the test's own class loader. */
    static final class BytesLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        BytesLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super(parent);
            this.classes = new HashMap<>(classes);
        }

        synchronized void declare(String name, byte[] bytes) {
            classes.put(name, bytes);
        }

        @Override
        protected synchronized Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
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
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (JShell shell = JShell.builder().executionEngine(new SharedLoaderEngine(), Map.of())
                .out(new PrintStream(console, true, StandardCharsets.UTF_8))
                .err(new PrintStream(console, true, StandardCharsets.UTF_8)).build()) {
            for (String path : classPath()) shell.addToClasspath(path);
            List<String> startup = new ArrayList<>(JSHELL_DEFAULT_IMPORTS);
            // What ./dclient --jshell adds on top of the default startup.
            for (String l : Files.readAllLines(Path.of("tools", "jshell-startup.jsh"))) {
                if (!l.isBlank() && !l.strip().startsWith("//")) startup.add(l.strip());
            }
            for (String s : startup) eval(shell, s, "startup: " + s);

            int n = 0;
            for (Step step : steps) {
                n++;
                String where = "README.md line " + step.line() + ": " + step.input();
                SnippetEvent e = eval(shell, live(step.input()), where);
                if (step.expected() == null) continue;
                Snippet s = e.snippet();
                String name = s instanceof jdk.jshell.VarSnippet v ? v.name() : null;
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
                assertEquals(expected.substring(arrow + " ==> ".length()), e.value(), where);
            }
        }
    }

    /** Evaluates one snippet and fails on a compile error or an exception. */
    static SnippetEvent eval(JShell shell, String code, String where) {
        // As the jshell tool does: complete the input (e.g. add the missing semicolon) first.
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
        assertTrue(info.completeness().isComplete(), where + ": not a complete snippet (" + info.completeness() + ")");
        assertTrue(info.remaining().isBlank(), where + ": one snippet per prompt");
        List<SnippetEvent> events = shell.eval(info.source());
        assertFalse(events.isEmpty(), where + ": nothing evaluated");
        SnippetEvent main = events.get(0);
        if (main.status() == Snippet.Status.REJECTED) {
            String diags = shell.diagnostics(main.snippet()).map(d -> d.getMessage(null)).collect(Collectors.joining("; "));
            fail(where + ": rejected by JShell: " + diags);
        }
        if (main.exception() != null) fail(where + ": threw " + main.exception(), main.exception());
        return main;
    }

    /**
     * Runs snippets in this JVM with the test's own class loader as parent, so they see the same
     * {@link Context#overrideProcess} override (JShell's default local engine would load a second copy).
     */
    static final class SharedLoaderEngine implements ExecutionControlProvider {
        @Override
        public String name() {
            return "readme-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            BytesLoader loader = new BytesLoader(Map.of(), Datasette.class.getClassLoader());
            Map<String, Class<?>> loaded = new HashMap<>();
            return new LocalExecutionControl(new LoaderDelegate() {
                @Override
                public void load(ExecutionControl.ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException {
                    for (ExecutionControl.ClassBytecodes c : cbcs) loader.declare(c.name(), c.bytecodes());
                    boolean[] installed = new boolean[cbcs.length];
                    try {
                        for (int i = 0; i < cbcs.length; i++) {
                            Class<?> k = loader.loadClass(cbcs[i].name());
                            k.getDeclaredMethods(); // link now, like JShell's own loader
                            loaded.put(cbcs[i].name(), k);
                            installed[i] = true;
                        }
                    } catch (ClassNotFoundException | LinkageError e) {
                        throw new ExecutionControl.ClassInstallException("load failed: " + e, installed);
                    }
                }

                @Override
                public void classesRedefined(ExecutionControl.ClassBytecodes[] cbcs) {
                    for (ExecutionControl.ClassBytecodes c : cbcs) loader.declare(c.name(), c.bytecodes());
                }

                @Override
                public void addToClasspath(String path) {
                    // the parent loader already has dclient and its dependencies
                }

                @Override
                public Class<?> findClass(String name) throws ClassNotFoundException {
                    Class<?> k = loaded.get(name);
                    return k != null ? k : loader.loadClass(name);
                }
            });
        }
    }
}
