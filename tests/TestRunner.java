///usr/bin/env jbang "$0" "$@" ; exit $?
// Runs the whole JUnit suite without a build tool: `tests/run` (from the repo root).
// dclient.java brings the program (its //DEPS, lib/ via //SOURCES and commands.yaml
// via //FILES); TestSources.java lists the test classes.
//JAVA 17+
//SOURCES ../dclient.java
//SOURCES TestSources.java
// the README reference renderer, a build tool outside lib/ that ReadmeReferenceTest checks
//SOURCES ../tools/ReferenceDoc.java
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//DEPS org.wiremock:wiremock-standalone:3.13.2
//DEPS com.tngtech.archunit:archunit-junit5:1.4.1
//COMPILE_OPTIONS -encoding UTF-8
//JAVA_OPTIONS -Dfile.encoding=UTF-8

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs every JUnit test in package {@code io.datasette.dclient} (and below).
 *
 * <p>Arguments (optional) restrict the run to test classes whose simple or full name matches
 * one of them; {@code *} is a wildcard: {@code tests/run ConfigStoreTest 'Alias*'}.
 *
 * <p>Prints each failure (test, exception, a short stack) and ends with the line
 * {@code N passed, N failed} (plus {@code , N skipped}); exits 1 on any failure or when no
 * test ran.
 */
public class TestRunner {
    static final String ROOT_PACKAGE = "io.datasette.dclient";
    static final int STACK_LINES = 12;

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        // The jar JBang builds has directory entries, so package scanning finds the classes in it.
        LauncherDiscoveryRequestBuilder builder = request().selectors(selectPackage(ROOT_PACKAGE));
        if (args.length > 0) {
            List<String> patterns = new ArrayList<>();
            for (String arg : args) {
                String glob = Pattern.quote(arg).replace("*", "\\E.*\\Q");
                patterns.add("(.*[.$])?" + glob);
            }
            builder.filters(ClassNameFilter.includeClassNamePatterns(patterns.toArray(new String[0])));
        }
        LauncherDiscoveryRequest request = builder.build();

        Listener listener = new Listener(out);
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);

        String line = listener.passed + " passed, " + listener.failed + " failed";
        if (listener.skipped.get() > 0) {
            line += ", " + listener.skipped + " skipped";
        }
        out.println();
        if (listener.passed.get() + listener.failed.get() == 0) {
            out.println("No tests ran" + (args.length > 0 ? " (filters: " + String.join(" ", args) + ")" : "") + ".");
        }
        out.println(line);
        out.flush();
        System.exit(listener.failed.get() == 0 && listener.passed.get() > 0 ? 0 : 1);
    }

    static final class Listener implements TestExecutionListener {
        final PrintStream out;
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        TestPlan plan;

        Listener(PrintStream out) {
            this.out = out;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            this.plan = testPlan;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            int n = id.isTest() ? 1 : (int) plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
            skipped.addAndGet(n);
            out.println("SKIPPED " + name(id) + (reason == null || reason.isEmpty() ? "" : ": " + reason));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            switch (result.getStatus()) {
                case SUCCESSFUL:
                    if (id.isTest()) {
                        passed.incrementAndGet();
                    }
                    break;
                case ABORTED:
                    if (id.isTest()) {
                        skipped.incrementAndGet();
                        out.println("SKIPPED " + name(id) + ": "
                                + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                    }
                    break;
                case FAILED:
                    // A failing container (class set-up, engine) counts as one failure.
                    failed.incrementAndGet();
                    out.println();
                    out.println("FAILED " + name(id));
                    result.getThrowable().ifPresent(this::printThrowable);
                    break;
            }
        }

        String name(TestIdentifier id) {
            List<String> parts = new ArrayList<>();
            for (TestIdentifier t = id; t != null; t = plan.getParent(t).orElse(null)) {
                if (t.getParentId().isEmpty()) {
                    break; // the engine ("JUnit Jupiter")
                }
                parts.add(0, t.getDisplayName());
            }
            return parts.isEmpty() ? id.getDisplayName() : String.join(" > ", parts);
        }

        /** The exception, its causes, and the stack frames between the assertion and the framework. */
        void printThrowable(Throwable t) {
            String indent = "    ";
            for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
                out.println(indent + (depth == 0 ? "" : "Caused by: ") + t.toString().replace("\n", "\n" + indent));
                int shown = 0;
                boolean inAssertions = true;
                for (StackTraceElement frame : t.getStackTrace()) {
                    String cls = frame.getClassName();
                    if (inAssertions && (cls.startsWith("org.junit.jupiter.api.") || cls.startsWith("org.opentest4j."))) {
                        continue; // inside assertEquals & co.
                    }
                    inAssertions = false;
                    if (cls.startsWith("org.junit.") || cls.startsWith("jdk.internal.reflect.")
                            || cls.equals("java.lang.reflect.Method")) {
                        break; // into the test framework: the rest is noise
                    }
                    if (shown++ == STACK_LINES) {
                        out.println(indent + "    ...");
                        break;
                    }
                    out.println(indent + "    at " + frame);
                }
            }
        }
    }
}
