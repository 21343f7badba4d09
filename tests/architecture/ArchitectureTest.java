package io.datasette.dclient.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.domain.JavaClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of README's "How the code is laid out", enforced: core knows no command line and no
 * library; the library is a facade that knows no command line; only the entry point and the
 * context factory touch the process's streams, environment and exit; packages form no cycle.
 *
 * <p>Only the program's classes are checked (those whose sources are under {@code lib/}): the
 * tests share packages with the code they test, and the same jar under JBang.
 */
class ArchitectureTest {
    static final String ROOT = "io.datasette.dclient";
    static final String CORE = ROOT + ".core..";
    static final String CLI = ROOT + ".cli..";
    static final String API = ROOT + ".api..";
    /** The only classes allowed to read System.in/out/err, System.getenv or call System.exit. */
    static final Set<String> PROCESS_EDGE = Set.of(ROOT + ".cli.Main", ROOT + ".core.Context");

    static JavaClasses classes;

    @BeforeAll
    static void importProgramClasses() throws IOException {
        Set<String> program = programClasses();
        classes = new ClassFileImporter()
                .withImportOption(location -> {
                    Matcher m = Pattern.compile("(io/datasette/dclient/[\\w/]+?)(\\$[^/]*)?\\.class$")
                            .matcher(location.asURI().toString());
                    return m.find() && program.contains(m.group(1).replace('/', '.'));
                })
                .importPackages(ROOT);
        assertTrue(classes.size() > 60, "found only " + classes.size() + " program classes (run from the repository root)");
    }

    /** Top-level class names of every source under lib/, from each file's package line. */
    static Set<String> programClasses() throws IOException {
        Pattern pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
        try (Stream<Path> files = Files.walk(Path.of("lib"))) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    Matcher m = pkg.matcher(Files.readString(p));
                    return m.find() ? m.group(1) + "." + p.getFileName().toString().replace(".java", "") : null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(n -> n != null).collect(Collectors.toSet());
        }
    }

    @Test
    void coreKnowsNoCommandLineNoPicocliAndNoLibrary() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(CLI, API, "picocli..")
                .because("core is Datasette knowledge shared by both faces")
                .check(classes);
    }

    @Test
    void theLibraryIsAFacadeOverCoreWithoutCommandLineTypes() {
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(CLI, "picocli..")
                .because("the library and the command line are two faces of one core")
                .check(classes);
    }

    @Test
    void onlyTheEntryPointAndTheContextFactoryTouchTheProcess() {
        ArchCondition<JavaClass> touchProcess = new ArchCondition<>("read System.in/out/err, System.getenv or call System.exit") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaAccess<?> a : c.getAccessesFromSelf()) {
                    if (!a.getTargetOwner().isEquivalentTo(System.class)) continue;
                    String name = a.getName();
                    if (Set.of("in", "out", "err", "getenv", "exit", "console").contains(name)) {
                        events.add(SimpleConditionEvent.violated(a, a.getDescription()));
                    }
                }
            }
        };
        ArchRule rule = noClasses().that(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>("are not the process edge") {
            @Override
            public boolean test(JavaClass c) {
                String top = c.getName().contains("$") ? c.getName().substring(0, c.getName().indexOf('$')) : c.getName();
                return !PROCESS_EDGE.contains(top);
            }
        }).should(touchProcess).because("everything else gets streams and environment from a Context, so tests and the library can supply their own");
        rule.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
