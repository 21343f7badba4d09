package io.datasette.dclient.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.domain.JavaClass;
import io.datasette.dclient.testing.ProgramClasses;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of README's "How the code is laid out", enforced: core knows no command line and no
 * library; the library is a facade that knows no command line; only the entry point and the
 * context factory touch the process's streams, environment and exit; packages form no cycle.
 *
 * <p>Only the program's classes are checked (those whose sources are under {@code lib/}): the
 * tests share packages with the code they test, and the same jar under JBang.
 *
 * <p>ArchUnit reads bytecode, so it sees what the code uses, not what it imports: an unused
 * {@code import} of a command-line class in core compiles to nothing and passes. That is fine
 * (it creates no dependency); javac or an IDE is what flags unused imports.
 *
 * <p>Each rule was seen to fail once, by the mutation named in its comment.
 */
class ArchitectureTest {
    static final String ROOT = ProgramClasses.ROOT;
    static final String CORE = ROOT + ".core..";
    static final String CLI = ROOT + ".cli..";
    static final String API = ROOT + ".api..";
    /** The only classes allowed to read System.in/out/err, System.getenv or call System.exit. */
    static final Set<String> PROCESS_EDGE = Set.of(ROOT + ".cli.Main", ROOT + ".core.io.Context");

    static JavaClasses classes;

    @BeforeAll
    static void importProgramClasses() {
        classes = ProgramClasses.load();
        assertTrue(classes.size() > 60, "found only " + classes.size() + " program classes (run from the repository root)");
    }

    /** Proved by mutation: a {@code cli.ExitCodes.of(...)} call added to {@code core.Errors} made this fail. */
    @Test
    void coreKnowsNoCommandLineNoPicocliAndNoLibrary() {
        noClasses().that().resideInAPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(CLI, API, "picocli..")
                .because("core is Datasette knowledge shared by both faces")
                .check(classes);
    }

    /** Proved by mutation: a {@code cli.ExitCodes.of(...)} call added to {@code api.Datasette} made this fail. */
    @Test
    void theLibraryIsAFacadeOverCoreWithoutCommandLineTypes() {
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(CLI, "picocli..")
                .because("the library and the command line are two faces of one core")
                .check(classes);
    }

    /**
     * The members of {@link System} that are the process: its streams, environment, console and
     * exit. Everything else reaches them through a {@code Context}, which tests and the library
     * build with their own.
     */
    static final Set<String> PROCESS_MEMBERS = Set.of("in", "out", "err", "setIn", "setOut", "setErr", "getenv",
            "exit", "console");

    /**
     * Proved by mutation: a {@code System.getenv("HOME")} added to {@code core.session.Session}
     * (and, separately, a {@code System.out.println} inside a lambda in {@code cli.Dispatcher})
     * made this fail, naming the class and line. (Before, the rule was written as
     * {@code noClasses().should(condition)} with a condition that reported each access as
     * violated: the double negation made it pass whatever the code did.)
     */
    @Test
    void onlyTheEntryPointAndTheContextFactoryTouchTheProcess() {
        ArchCondition<JavaClass> leaveTheProcessAlone = new ArchCondition<>(
                "not read System.in/out/err, System.getenv or System.console, nor call System.exit") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaAccess<?> a : c.getAccessesFromSelf()) {
                    if (a.getTargetOwner().isEquivalentTo(System.class) && PROCESS_MEMBERS.contains(a.getName())) {
                        events.add(SimpleConditionEvent.violated(a, a.getDescription()));
                    }
                }
            }
        };
        classes().that(new DescribedPredicate<JavaClass>("are not the process edge " + PROCESS_EDGE) {
            @Override
            public boolean test(JavaClass c) {
                return !PROCESS_EDGE.contains(topLevel(c).getName());
            }
        }).should(leaveTheProcessAlone)
                .because("everything else gets streams and environment from a Context, so tests and the library can supply their own")
                .check(classes);
    }

    /**
     * An exemption that names a class that does not exist (it moved, say) would exempt nothing and
     * hide that. Proved by mutation: the old name {@code core.Context} in the list made this fail.
     */
    @Test
    void theProcessEdgeNamesClassesThatExist() {
        for (String name : PROCESS_EDGE) {
            assertTrue(classes.contain(name), name + " is exempt from the process rule but is not a program class");
        }
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) top = top.getEnclosingClass().get();
        return top;
    }

    /** Proved by mutation: a {@code core.session.Session} reference added to {@code core.auth.TokenResolver} made this fail. */
    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}
