package io.datasette.dclient.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import io.datasette.dclient.testing.ProgramClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every option or argument key the command line reads for a command exists in commands.yaml for
 * that command: in its handler and in everything the handler calls ({@code Connections},
 * {@code Format}, {@code RowWriter}, {@code WriteCommand}...). The dispatcher's Invocation also
 * refuses unknown keys at run time; this finds them without running each code path.
 *
 * <p>How: ArchUnit gives the calls each handler's {@code run} reaches inside {@code cli}
 * (bytecode, so lambdas and helpers count) and the line of each call to an {@link Invocation}
 * accessor; the key is the string literal on that line of the source. A read no handler reaches,
 * or one whose key is not a literal, is reported too, since nothing could check it.
 *
 * <p>Proved by mutation: {@code inv.string("nosuch")} added to {@code Connections.timeout} made
 * this fail for {@code login}, the command that reaches it, naming Connections.java and the line.
 * Its first run found {@code upsert} reaching {@code WriteCommand}'s reads of insert's
 * {@code --create/--replace/--ignore} (guarded by the kind at run time); insert's handler now
 * reads them.
 */
class HandlerKeysTest {
    static final String CLI = ProgramClasses.ROOT + ".cli";
    /** The accessors that read a value by key. */
    static final Set<String> READERS = Set.of("has", "string", "flag", "integer", "decimal", "strings", "tuples");
    /** {@code .string("key")}, {@code .flag("key")}, ... on one source line. */
    static final Pattern READ = Pattern.compile("\\.(?:" + String.join("|", READERS) + ")\\(\\s*\"([^\"]+)\"\\s*\\)");

    /** One read of a key: where it is and the key (null when the argument is not a literal). */
    record Read(String where, String key) {}

    @Test
    void everyKeyReadForACommandIsDefinedForIt() {
        JavaClasses classes = ProgramClasses.load();
        Map<JavaCodeUnit, List<Read>> readsByUnit = readsByCodeUnit(classes);
        Set<JavaCodeUnit> reached = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (CommandDef c : CommandSpecsTest.all(CommandSpecs.load())) {
            if (c.handler() == null) continue;
            JavaClass handler = classes.get(CLI + ".commands." + c.handler());
            Set<String> keys = keys(c);
            for (JavaCodeUnit unit : reachable(run(handler))) {
                reached.add(unit);
                for (Read r : readsByUnit.getOrDefault(unit, List.of())) {
                    checked++;
                    if (r.key() == null) {
                        problems.add(r.where() + ": the key is not a string literal, so it cannot be checked");
                    } else if (!keys.contains(r.key())) {
                        problems.add("'" + c.name() + "' (" + c.handler() + ") reaches " + r.where() + ", which reads '"
                                + r.key() + "': commands.yaml does not define it for '" + c.name() + "'");
                    }
                }
            }
        }
        readsByUnit.forEach((unit, reads) -> {
            if (!reached.contains(unit)) {
                reads.forEach(r -> problems.add(r.where() + " reads '" + r.key() + "', but no handler reaches it,"
                        + " so nothing checks it against commands.yaml"));
            }
        });
        assertTrue(checked > 60, "only " + checked + " reads found: has the accessor style changed?");
        assertEquals(List.of(), new ArrayList<>(new TreeSet<>(problems)));
    }

    /** Each code unit under cli that calls an Invocation accessor, with the keys it reads. */
    static Map<JavaCodeUnit, List<Read>> readsByCodeUnit(JavaClasses classes) {
        Map<JavaCodeUnit, List<Read>> out = new HashMap<>();
        Map<Path, List<String>> sources = new HashMap<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().startsWith(CLI) || c.isEquivalentTo(Invocation.class)) continue;
            for (JavaCodeUnit unit : c.getCodeUnits()) {
                Set<Integer> lines = new TreeSet<>();
                for (JavaAccess<?> a : unit.getCallsFromSelf()) {
                    if (a.getTargetOwner().isEquivalentTo(Invocation.class) && READERS.contains(a.getName())) {
                        lines.add(a.getLineNumber());
                    }
                }
                if (lines.isEmpty()) continue;
                Path file = ProgramClasses.source(c.getPackageName(), c.getSource().orElseThrow().getFileName().orElseThrow());
                List<String> text = sources.computeIfAbsent(file, HandlerKeysTest::lines);
                for (int line : lines) {
                    String where = file.getFileName() + ":" + line;
                    Matcher m = READ.matcher(text.get(line - 1));
                    boolean any = false;
                    while (m.find()) {
                        any = true;
                        out.computeIfAbsent(unit, u -> new ArrayList<>()).add(new Read(where, m.group(1)));
                    }
                    if (!any) out.computeIfAbsent(unit, u -> new ArrayList<>()).add(new Read(where, null));
                }
            }
        }
        return out;
    }

    /** {@code start} and every code unit under cli it calls or references, transitively. */
    static Set<JavaCodeUnit> reachable(JavaCodeUnit start) {
        Set<JavaCodeUnit> seen = new LinkedHashSet<>();
        Deque<JavaCodeUnit> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            JavaCodeUnit unit = todo.pop();
            if (!seen.add(unit)) continue;
            Stream.concat(Stream.concat(unit.getCallsFromSelf().stream().map(a -> a.getTarget().resolveMember()),
                            unit.getMethodReferencesFromSelf().stream().map(a -> a.getTarget().resolveMember())),
                            unit.getConstructorReferencesFromSelf().stream().map(a -> a.getTarget().resolveMember()))
                    .flatMap(java.util.Optional::stream)
                    .filter(target -> target.getOwner().getPackageName().startsWith(CLI))
                    .forEach(todo::push);
        }
        return seen;
    }

    /** The handler's {@code run}, declared by the class or inherited ({@code InstancesHandler}). */
    static JavaCodeUnit run(JavaClass handler) {
        for (JavaClass c = handler; c != null; c = c.getRawSuperclass().orElse(null)) {
            var run = c.tryGetMethod("run", Invocation.class, io.datasette.dclient.core.io.Context.class);
            if (run.isPresent()) return run.get();
        }
        throw new AssertionError(handler.getName() + " has no run(Invocation, Context)");
    }

    static Set<String> keys(CommandDef c) {
        Set<String> keys = new TreeSet<>();
        c.options().forEach(o -> keys.add(o.key()));
        c.arguments().forEach(a -> keys.add(a.key()));
        return keys;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theRunTimeCheckNamesTheCommandAndTheKey() {
        Invocation inv = new Invocation(List.of("rows"), Map.of("table", "dogs"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inv.string("tabel"));
        assertEquals("the handler of 'dclient rows' read 'tabel', which commands.yaml does not define for it", e.getMessage());
        assertEquals("dogs", inv.string("table"));
        // tests that build one by hand stay lenient
        assertEquals(null, Invocation.of("rows", Map.of()).string("tabel"));
    }
}
