package io.datasette.dclient.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The program's classes as ArchUnit sees them: those whose sources are under {@code lib/}. The
 * tests share packages with the code they test, and the same jar under JBang, so a package alone
 * would also bring in the tests. Run from the repository root.
 */
public final class ProgramClasses {
    public static final String ROOT = "io.datasette.dclient";
    private static final Pattern CLASS_FILE = Pattern.compile("(io/datasette/dclient/[\\w/]+?)(\\$[^/]*)?\\.class$");
    private static JavaClasses cached;

    private ProgramClasses() {}

    /** The program's classes (and their nested ones), imported once per test run. */
    public static synchronized JavaClasses load() {
        if (cached == null) {
            Set<String> program = names();
            cached = new ClassFileImporter()
                    .withImportOption(location -> {
                        Matcher m = CLASS_FILE.matcher(location.asURI().toString());
                        return m.find() && program.contains(m.group(1).replace('/', '.'));
                    })
                    .importPackages(ROOT);
        }
        return cached;
    }

    /** The source file under lib/ of a program class in {@code pkg}, e.g. lib/cli/Connections.java. */
    public static Path source(String pkg, String fileName) {
        String sub = pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1).replace('.', '/') + "/";
        return Path.of("lib", sub + fileName);
    }

    /** Top-level class names of every source under lib/, from each file's package line. */
    static Set<String> names() {
        Pattern pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
        try (Stream<Path> files = Files.walk(Path.of("lib"))) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    Matcher m = pkg.matcher(Files.readString(p));
                    return m.find() ? m.group(1) + "." + p.getFileName().toString().replace(".java", "") : null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(Objects::nonNull).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
