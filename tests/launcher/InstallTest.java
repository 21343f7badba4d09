package io.datasette.dclient.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Putting {@code dclient} on PATH on a machine without JBang, as a newcomer would: with an empty
 * HOME and a PATH that has the basic tools but no {@code jbang}. {@code ./dclient --install}
 * links the launcher (which needs no JBang to run once built) and says where PATH falls short;
 * {@code ./dclient --jbang app install} refuses, since the script it would install runs
 * {@code jbang}. Neither step builds dclient, so no JDK work happens here.
 */
class InstallTest {
    /** What the launcher's --install and --jbang refusal use, and bash to run it. */
    static final List<String> TOOLS = List.of("bash", "env", "mkdir", "ln", "readlink", "dirname", "cat", "rm");

    @TempDir
    Path tmp;

    Path home;
    Path bin;
    Path launcher;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : TOOLS) Files.createSymbolicLink(bin.resolve(tool), which(tool));
        launcher = Path.of("dclient").toRealPath();
    }

    /** Removes the links to outside files first, which JUnit would warn about one by one. */
    @AfterEach
    void removeLinks() throws IOException {
        try (var files = Files.walk(tmp)) {
            for (Path p : files.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    /** The tool on the real PATH (the test's own environment, not dclient's). */
    static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException(tool + " is not on PATH");
    }

    record Run(int exit, String err) {}

    /** Runs {@code command args} with HOME and PATH (a list of directories) only. */
    Run run(List<Path> path, Path command, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(which("bash").toString(), command.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", home.toString());
        env.put("PATH", String.join(File.pathSeparator, path.stream().map(Path::toString).toList()));
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished");
        return new Run(p.exitValue(), err);
    }

    Path localBin() {
        return home.resolve(".local/bin");
    }

    @Test
    void installLinksTheLauncherAndSaysWhenItsDirectoryIsNotOnPath() throws Exception {
        Run r = run(List.of(bin), launcher, "--install");
        assertEquals(0, r.exit(), r.err());
        Path link = localBin().resolve("dclient");
        assertEquals(launcher, Files.readSymbolicLink(link));
        assertTrue(r.err().startsWith("Installed " + link + " -> " + launcher + "\n"), r.err());
        assertTrue(r.err().contains("uninstall with: rm '" + link + "'"), r.err());
        assertTrue(r.err().contains("Note: " + localBin() + " is not on your PATH"), r.err());
        assertTrue(r.err().contains("export PATH=\"" + localBin() + ":$PATH\""), r.err());

        // once on PATH, a second install changes nothing and has nothing to add
        Run again = run(List.of(localBin(), bin), launcher, "--install");
        assertEquals(0, again.exit(), again.err());
        assertEquals("dclient is already installed: " + link + " -> " + launcher + "\n", again.err());
    }

    @Test
    void theInstalledLinkFindsItsCheckoutAndRefusesJBangsAppInstallWithoutJBang() throws Exception {
        assertEquals(0, run(List.of(bin), launcher, "--install").exit());
        Path link = localBin().resolve("dclient");
        for (String[] args : new String[][] {{"--jbang", "app", "install", "dclient@."},
                {"--jbang", "--verbose", "app", "install", "--force", "dclient@" + launcher.getParent()}}) {
            Run r = run(List.of(localBin(), bin), link, args);
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().startsWith("dclient: not running 'jbang app install': the command it installs runs"
                    + " 'jbang', which is not installed"), r.err());
            assertTrue(r.err().contains(launcher + " --install"), r.err());
            assertEquals(2, r.err().lines().count(), r.err());
        }
        assertFalse(Files.exists(home.resolve(".jbang")), "nothing of JBang's was written");
        assertFalse(Files.exists(home.resolve(".cache")), "no JBang was fetched");
    }

    @Test
    void withJBangInstalledAppInstallIsJBangsBusiness() throws Exception {
        Path fake = Files.createDirectories(tmp.resolve("jbang-bin"));
        Path calls = tmp.resolve("calls");
        Path jbang = fake.resolve("jbang");
        Files.writeString(jbang, "#!" + which("bash") + "\necho \"$@\" > '" + calls + "'\n");
        Files.setPosixFilePermissions(jbang, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(List.of(bin, fake), launcher, "--jbang", "app", "install", "dclient@.");
        assertEquals(0, r.exit(), r.err());
        assertEquals("app install dclient@.\n", Files.readString(calls));
    }

    @Test
    void aDclientEarlierOnPathIsNamed() throws Exception {
        Path jbangBin = Files.createDirectories(home.resolve(".jbang/bin"));
        Path stale = jbangBin.resolve("dclient");
        Files.writeString(stale, "#!/bin/sh\nexec jbang run dclient@. \"$@\"\n");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(List.of(jbangBin, localBin(), bin), launcher, "--install");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("Note: another dclient comes first on your PATH: " + stale + "\n"
                + "It was written by 'jbang app install' and runs jbang; remove it: rm '" + stale + "'\n"), r.err());
    }

    @Test
    void somethingElseNamedDclientIsLeftAlone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Path other = Files.writeString(dir.resolve("dclient"), "mine");
        Run r = run(List.of(bin), launcher, "--install", dir.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("dclient: not installing: " + other + " already exists"), r.err());
        assertEquals("mine", Files.readString(other));
    }
}
