package io.datasette.dclient.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.testing.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an interrupted write leaves behind and what file errors say: stale temp files go on the
 * next write, lock and temp files are owner-only, OS errors carry their reason.
 */
class JsonFilesTest {
    @TempDir
    Path dir;

    private List<String> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** A temp file as a write killed with kill -9 leaves it: a full copy of the tokens. */
    private Path orphan(String name, String content) throws Exception {
        Path p = dir.resolve("." + name + ".7261836418762387." + "tmp");
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        return p;
    }

    @Test
    void theNextAuthWriteRemovesTempFilesOfInterruptedWrites() throws Exception {
        Path old = orphan("auth.json", "{\"prod\": \"dstok_REMOVED_LONG_AGO\"}");
        Path other = dir.resolve(".auth.json.notdigits.tmp"); // not a name dclient makes: left alone
        Files.writeString(other, "x");
        CliRunner.Result r = new CliRunner(dir).run("auth", "add", "prod", "--token", "dstok_new");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(Files.exists(old), "the orphaned copy of the tokens is gone");
        assertTrue(Files.exists(other));
        assertEquals(List.of(".auth.json.notdigits.tmp", ".auth.lock", "auth.json"), listing());
    }

    @Test
    void theNextConfigWriteRemovesItsOwnTempFilesOnly() throws Exception {
        Path config = orphan("config.json", "{}");
        Path auth = orphan("auth.json", "{}");
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", "https://prod.example");
            return null;
        });
        assertFalse(Files.exists(config));
        assertTrue(Files.exists(auth), "auth.json's temp files belong to the auth lock");
        assertEquals(List.of(auth), JsonFiles.staleTemps(dir.resolve("auth.json")));
    }

    @Test
    void lockAndTempFilesAreOwnerOnly() throws Exception {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        new AuthStore(dir).put("prod", "dstok_x");
        assertEquals("rw-------", mode(dir.resolve(".auth.lock")));
        new ConfigStore(dir).update(c -> null);
        assertEquals("rw-------", mode(dir.resolve(".config.lock")));
        // the temp file is 0600 from the start: seen from inside the write, before the rename
        String[] seen = new String[1];
        new AuthStore(dir).update(m -> {
            m.put("x", "y");
            return null;
        });
        JsonFiles.locked(dir.resolve(".auth.lock"), () -> {
            Path tmp = Files.createTempFile(dir, ".auth.json.", ".tmp");
            seen[0] = mode(tmp);
            Files.delete(tmp);
            return null;
        });
        assertEquals("rw-------", seen[0]);
    }

    @Test
    void aLockFileLeftWorldReadableByAnOlderVersionIsTightened() throws Exception {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path lock = dir.resolve(".auth.lock");
        Files.createFile(lock);
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-r--r--"));
        new AuthStore(dir).put("prod", "dstok_x");
        assertEquals("rw-------", mode(lock));
    }

    @Test
    void aDirectoryWhereTheFileShouldBeSaysSo() throws Exception {
        Files.createDirectory(dir.resolve("auth.json"));
        DclientException e = assertThrows(DclientException.class, () -> new AuthStore(dir).load());
        assertEquals("Cannot read " + dir.resolve("auth.json") + ": is a directory", e.getMessage());
        CliRunner.Result r = new CliRunner(dir).run("auth", "list");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Cannot read " + dir.resolve("auth.json") + ": is a directory\n", r.err());
    }

    @Test
    void aConfigDirectoryThatIsAFileSaysSo() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        CliRunner.Result r = new CliRunner(file).run("auth", "list");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("Error: Cannot read " + file.resolve("auth.json") + ": not a directory\n", r.err());
        r = new CliRunner(file).run("auth", "add", "prod", "--token", "dstok_x");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: Cannot "), r.err());
        assertTrue(r.err().contains(": not a directory") || r.err().contains(": already exists"), r.err());
        assertFalse(r.err().contains("dstok_x"), r.err());
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws Exception {
        Path auth = dir.resolve("auth.json");
        Files.writeString(auth, "{}");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(auth), "running as root: chmod denies nothing here"
                    + " (FileErrorsTest checks the wording with constructed exceptions)");
            CliRunner.Result r = new CliRunner(dir).run("auth", "list");
            assertEquals("Error: Cannot read " + auth + ": permission denied\n", r.err());
        } finally {
            Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void anUnwritableDirectorySaysPermissionDeniedAndKeepsTheFile() throws Exception {
        Path auth = dir.resolve("auth.json");
        Files.writeString(auth, "{\"a\": \"dstok_old\"}");
        Files.createFile(dir.resolve(".auth.lock"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            Assumptions.assumeFalse(Files.isWritable(dir), "running as root: chmod denies nothing here");
            CliRunner.Result r = new CliRunner(dir).run("auth", "add", "b", "--token", "dstok_new");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains(": permission denied"), r.err());
            assertEquals(Map.of("a", "dstok_old"), new AuthStore(dir).load());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
