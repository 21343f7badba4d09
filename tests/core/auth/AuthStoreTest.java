package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.datasette.dclient.core.DclientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthStoreTest {
    @TempDir
    Path tmp;

    @Test
    void writesPythonDclientsFlatFormatAndKeepsKeysAsGiven() throws Exception {
        AuthStore store = new AuthStore(tmp);
        store.put("prod", "dstok_a");
        store.put("https://example.com/", "dstok_b");
        store.put("prod", "dstok_c"); // replacing keeps the position
        assertEquals("{\n    \"prod\": \"dstok_c\",\n    \"https://example.com/\": \"dstok_b\"\n}",
                Files.readString(store.file()));
        assertEquals(Map.of("prod", "dstok_c", "https://example.com/", "dstok_b"), store.load());
    }

    @Test
    void readsAFileWrittenByPythonDclient() throws Exception {
        Files.writeString(tmp.resolve("auth.json"), "{\n    \"latest\": \"dstok_x\",\n    \"https://a.com\": \"dstok_y\"\n}");
        assertEquals(List.of("latest", "https://a.com"), new ArrayList<>(new AuthStore(tmp).load().keySet()));
    }

    @Test
    void missingFileIsEmptyAndRemovingWritesNothing() {
        AuthStore store = new AuthStore(tmp);
        assertTrue(store.load().isEmpty());
        assertNull(store.remove("prod"));
        assertTrue(Files.notExists(store.file()));
    }

    @Test
    void removeAcceptsAUrlThatDiffersOnlyByTrailingSlashes() {
        AuthStore store = new AuthStore(tmp);
        store.put("https://a.com/", "t1");
        store.put("prod", "t2");
        assertNull(store.remove("prod/"));
        assertEquals("https://a.com/", store.remove("https://a.com"));
        assertEquals(Map.of("prod", "t2"), store.load());
    }

    @Test
    void corruptFileIsReportedByNameAndNeverOverwritten() throws Exception {
        for (String corrupt : List.of("{\"prod\": ", "[1, 2]", "{\"prod\": 42}", "not json at all")) {
            Path file = tmp.resolve("auth.json");
            Files.writeString(file, corrupt);
            AuthStore store = new AuthStore(tmp);
            DclientException e = assertThrows(DclientException.class, () -> store.put("new", "t"));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertThrows(DclientException.class, store::load);
            assertThrows(DclientException.class, () -> store.remove("prod"));
            assertEquals(corrupt, Files.readString(file));
        }
    }

    @Test
    void permissionsAreOwnerOnlyOnEveryWrite() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX permissions only");
        Path dir = tmp.resolve("new").resolve("config");
        AuthStore store = new AuthStore(dir);
        store.put("prod", "t1");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));

        // Someone loosens it; the next write tightens it again.
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
        store.put("staging", "t2");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        store.remove("prod");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));

        // An existing directory is the user's: we do not change its permissions.
        Path existing = tmp.resolve("existing");
        Files.createDirectory(existing, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        new AuthStore(existing).put("prod", "t");
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(existing.resolve("auth.json"))));
    }

    @Test
    void noTempFilesAreLeftBehind() throws Exception {
        AuthStore store = new AuthStore(tmp);
        for (int i = 0; i < 5; i++) store.put("k" + i, "t" + i);
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(".auth.lock", "auth.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void twoThreadsAddingAtOnceLoseNothing() throws Exception {
        AuthStore store = new AuthStore(tmp);
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String who : List.of("a", "b")) {
                done.add(pool.submit(() -> {
                    start.await();
                    // Separate AuthStore objects, like two commands, on the same directory.
                    AuthStore mine = new AuthStore(tmp);
                    for (int i = 0; i < perThread; i++) mine.put(who + i, "token-" + who + i);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> all = store.load();
        assertEquals(2 * perThread, all.size(), all.keySet().toString());
        for (int i = 0; i < perThread; i++) {
            assertEquals("token-a" + i, all.get("a" + i));
            assertEquals("token-b" + i, all.get("b" + i));
        }
    }

    @Test
    void twoProcessesAddingAtOnceLoseNothing() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = childClassPath();
        int perProcess = 25;
        List<Process> procs = new ArrayList<>();
        for (String who : List.of("p", "q")) {
            procs.add(new ProcessBuilder(java, "-cp", cp, Writer.class.getName(), tmp.toString(), who,
                    String.valueOf(perProcess)).redirectErrorStream(true).start());
        }
        for (Process p : procs) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "writer process timed out");
            String output = new String(p.getInputStream().readAllBytes());
            // A runner whose class path a child JVM cannot use (e.g. a cache jar rebuilt meanwhile)
            // cannot run this test; the in-process lock is still covered by the thread test.
            org.junit.jupiter.api.Assumptions.assumeFalse(p.exitValue() != 0
                    && (output.contains("ClassNotFoundException") || output.contains("Could not find or load main class")),
                    "child JVM could not load the classes: " + output);
            assertEquals(0, p.exitValue(), output + "\nclass path: " + cp);
        }
        Map<String, String> all = new AuthStore(tmp).load();
        assertEquals(2 * perProcess, all.size(), all.keySet().toString());
        for (int i = 0; i < perProcess; i++) {
            assertEquals("token-p" + i, all.get("p" + i));
            assertEquals("token-q" + i, all.get("q" + i));
        }
    }

    /** Where this test's classes and the libraries AuthStore needs were loaded from (any runner). */
    private static String childClassPath() throws Exception {
        java.util.LinkedHashSet<String> parts = new java.util.LinkedHashSet<>();
        for (Class<?> c : List.of(Writer.class, AuthStore.class, DclientException.class,
                com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            var source = c.getProtectionDomain().getCodeSource();
            if (source != null) parts.add(Path.of(source.getLocation().toURI()).toString());
        }
        String inherited = System.getProperty("java.class.path");
        if (inherited != null && !inherited.isEmpty()) parts.add(inherited);
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** A separate process that adds {@code count} keys named {@code prefix0..}. */
    public static final class Writer {
        public static void main(String[] args) {
            AuthStore store = new AuthStore(Path.of(args[0]));
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) store.put(args[1] + i, "token-" + args[1] + i);
        }
    }
}
