package io.datasette.dclient.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.testing.CliRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** config.json: Python dclient's format, kept intact, written atomically, never clobbered. */
class ConfigStoreTest {
    @Test
    void prettyWithIndent4IsPythonsLayout() throws Exception {
        assertEquals(PYTHON_WRITTEN, io.datasette.dclient.core.json.Json.pretty(io.datasette.dclient.core.json.Json.parse(PYTHON_WRITTEN), 4));
    }

    @TempDir
    Path dir;

    /** What Python's json.dumps(config, indent=4) writes (no trailing newline), with keys dclient does not know. */
    static final String PYTHON_WRITTEN = """
            {
                "default_instance": "prod",
                "instances": {
                    "prod": {
                        "url": "https://prod.example.com/",
                        "default_database": "main",
                        "note": {
                            "x": [
                                1,
                                2.5,
                                true
                            ]
                        }
                    },
                    "https://example.com/": {
                        "url": "https://example.com",
                        "default_database": null
                    }
                },
                "future_key": [],
                "z": {}
            }""";

    private Path file() {
        return dir.resolve("config.json");
    }

    @Test
    void aMissingFileIsAnEmptyConfigAndNothingIsCreated() {
        Config c = new ConfigStore(dir).load();
        assertNull(c.defaultInstance());
        assertTrue(c.instances().isEmpty());
        assertFalse(Files.exists(file()));
        assertEquals("{\n    \"default_instance\": null,\n    \"instances\": {}\n}", c.toJson());
    }

    @Test
    void theFirstWriteCreatesTheDirectoryAndUsesPythonsLayout() throws Exception {
        Path nested = dir.resolve("a/b/io.datasette.dclient");
        new ConfigStore(nested).update(c -> {
            c.putInstance("prod", "https://prod.example.com");
            return null;
        });
        assertEquals("""
                {
                    "default_instance": null,
                    "instances": {
                        "prod": {
                            "url": "https://prod.example.com",
                            "default_database": null
                        }
                    }
                }""", Files.readString(nested.resolve("config.json")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.resolve("config.json"))));
    }

    @Test
    void aRoundTripKeepsUnknownKeysOrderAndLayout() throws Exception {
        Files.writeString(file(), PYTHON_WRITTEN);
        ConfigStore store = new ConfigStore(dir);
        Config c = store.load();
        assertEquals("prod", c.defaultInstance());
        assertEquals(List.of("prod", "https://example.com/"), new ArrayList<>(c.instances().keySet()));
        assertEquals(new Config.Instance("prod", "https://prod.example.com/", "main"), c.instance("prod"));
        store.update(x -> {
            x.setDefaultDatabase("prod", "other");
            return null;
        });
        assertEquals(PYTHON_WRITTEN.replace("\"main\"", "\"other\""), Files.readString(file()));
        // and with no change at all, the bytes are the same
        store.update(x -> null);
        assertEquals(PYTHON_WRITTEN.replace("\"main\"", "\"other\""), Files.readString(file()));
    }

    @Test
    void reAddingAnAliasKeepsItsDefaultDatabaseAndOtherKeys() throws Exception {
        Files.writeString(file(), PYTHON_WRITTEN);
        new ConfigStore(dir).update(c -> {
            c.putInstance("prod", "https://new.example.com");
            return null;
        });
        assertEquals(PYTHON_WRITTEN.replace("https://prod.example.com/", "https://new.example.com"), Files.readString(file()));
    }

    @Test
    void pythonsAsciiEscapesAreRead() throws Exception {
        Files.writeString(file(), "{\"default_instance\": \"s\\u00e3o\", \"instances\": {\"s\\u00e3o\": "
                + "{\"url\": \"https://s\\u00e3o.example\", \"default_database\": \"\\u6771\"}}}");
        Config c = new ConfigStore(dir).load();
        assertEquals("são", c.defaultInstance());
        assertEquals(new Config.Instance("são", "https://são.example", "東"), c.instance("são"));
    }

    @Test
    void nonAsciiIsWrittenWithPythonsEscapes() throws Exception {
        new ConfigStore(dir).update(c -> {
            c.putInstance("café", "https://café.example");
            c.setDefaultDatabase("café", "東京😀");
            return null;
        });
        // json.dumps({...}, indent=4) in Python 3
        assertEquals("""
                {
                    "default_instance": null,
                    "instances": {
                        "caf\\u00e9": {
                            "url": "https://caf\\u00e9.example",
                            "default_database": "\\u6771\\u4eac\\ud83d\\ude00"
                        }
                    }
                }""", Files.readString(file()));
        assertEquals("東京😀", new ConfigStore(dir).load().instance("café").defaultDatabase());
    }

    @Test
    void aPythonConfigWithoutInstancesKeyIsUsable() throws Exception {
        Files.writeString(file(), "{\"default_instance\": null}");
        new ConfigStore(dir).update(c -> {
            c.putInstance("a", "http://a.example");
            return null;
        });
        assertEquals("http://a.example", new ConfigStore(dir).load().instance("a").url());
    }

    @Test
    void aBlankFileIsAnEmptyConfig() throws Exception {
        Files.writeString(file(), "  \n");
        assertTrue(new ConfigStore(dir).load().instances().isEmpty());
    }

    static Stream<Arguments> corruptFiles() {
        return Stream.of(
                Arguments.of("{not json".getBytes(StandardCharsets.UTF_8), "it is not valid JSON (line 1)"),
                Arguments.of("{\n  \"instances\": {},\n  oops\n}".getBytes(StandardCharsets.UTF_8), "it is not valid JSON (line 3)"),
                Arguments.of("{} {}".getBytes(StandardCharsets.UTF_8), "it is not valid JSON (line 1)"),
                Arguments.of("[]".getBytes(StandardCharsets.UTF_8), "expected a JSON object"),
                Arguments.of("\"text\"".getBytes(StandardCharsets.UTF_8), "expected a JSON object"),
                Arguments.of("{\"instances\": []}".getBytes(StandardCharsets.UTF_8), "\"instances\" must be an object"),
                Arguments.of("{\"instances\": {\"x\": {\"default_database\": \"a\"}}}".getBytes(StandardCharsets.UTF_8),
                        "instance \"x\" needs a \"url\" string"),
                Arguments.of("{\"instances\": {\"x\": \"https://x\"}}".getBytes(StandardCharsets.UTF_8),
                        "instance \"x\" needs a \"url\" string"),
                Arguments.of("{\"default_instance\": 5}".getBytes(StandardCharsets.UTF_8),
                        "\"default_instance\" must be a string or null"),
                Arguments.of(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}, "it is not UTF-8 text"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("corruptFiles")
    void aCorruptFileIsReportedByNameAndNeverRewritten(byte[] content, String why) throws Exception {
        Files.write(file(), content);
        String expected = "Cannot use " + file() + ": " + why + ". Fix or move that file; dclient has not changed it.";
        ConfigStore store = new ConfigStore(dir);
        assertEquals(expected, assertThrows(DclientException.class, store::load).getMessage());
        DclientException e = assertThrows(DclientException.class, () -> store.update(c -> {
            c.putInstance("x", "https://x.example");
            return null;
        }));
        assertEquals(expected, e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file()));
        assertEquals(List.of(".config.lock", "config.json"), listing());
    }

    @Test
    void aCorruptFileThroughTheCliIsOneErrorLineAndStaysByteForByte() throws Exception {
        byte[] content = "{\"instances\": {\"prod\": {\"url\": \"https://p\"}},,}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file(), content);
        CliRunner runner = new CliRunner(dir);
        for (String[] args : List.of(new String[] {"alias", "add", "x", "https://x.example"},
                new String[] {"alias", "remove", "prod"}, new String[] {"default", "instance", "prod"},
                new String[] {"default", "database", "prod", "main"}, new String[] {"alias", "list"},
                new String[] {"query", "db", "select 1", "-i", "prod"})) {
            CliRunner.Result r = runner.run(args);
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("", r.out(), r.toString());
            assertEquals("Error: Cannot use " + file() + ": it is not valid JSON (line 1)."
                    + " Fix or move that file; dclient has not changed it.\n", r.err());
            assertArrayEquals(content, Files.readAllBytes(file()), String.join(" ", args));
        }
    }

    @Test
    void writesLeaveNoTemporaryFiles() throws Exception {
        ConfigStore store = new ConfigStore(dir);
        for (int i = 0; i < 5; i++) {
            int n = i;
            store.update(c -> {
                c.putInstance("a" + n, "https://a" + n + ".example");
                return null;
            });
        }
        assertEquals(List.of(".config.lock", "config.json"), listing());
        assertEquals(5, store.load().instances().size());
    }

    @Test
    void concurrentUpdatesLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        String name = "t" + thread + "-" + i;
                        new ConfigStore(dir).update(c -> {
                            c.putInstance(name, "https://" + name + ".example");
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40, new ConfigStore(dir).load().instances().size());
        assertEquals(List.of(".config.lock", "config.json"), listing());
    }

    @Test
    void secretFilesAreOwnerOnlyOnEveryWrite() throws Exception {
        Path secret = dir.resolve("auth.json");
        Files.writeString(secret, "{}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        JsonFiles.writeAtomic(secret, "{\"a\": \"b\"}", true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals("{\"a\": \"b\"}", Files.readString(secret));
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
