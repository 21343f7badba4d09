package io.datasette.dclient.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

public class TokenMetadataTest {
    @TempDir
    Path tmp;

    /** A dstok_ token as Datasette signs it (the signature is not checked client-side). */
    public static String dstok(String payloadJson) {
        return "dstok_" + b64(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    /** The zlib-compressed form itsdangerous uses when it is shorter (leading dot). */
    public static String dstokCompressed(String payloadJson) {
        Deflater d = new Deflater();
        d.setInput(payloadJson.getBytes(StandardCharsets.UTF_8));
        d.finish();
        byte[] buf = new byte[4096];
        int n = d.deflate(buf);
        d.end();
        return "dstok_." + b64(java.util.Arrays.copyOf(buf, n)) + ".c2lnbmF0dXJl";
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void decodesThePayloadOfTheDocumentedExample() {
        // datasette-api.md: dstok_eyJhIjoicm9vdCIsInQiOjE3OTU4MTAzNTZ9.Z094... = {"a": "root", "t": 1795810356}
        TokenMetadata.Payload p = TokenMetadata.decode("dstok_eyJhIjoicm9vdCIsInQiOjE3OTU4MTAzNTZ9.Z094abc");
        assertEquals(new TokenMetadata.Payload("root", 1795810356L, null), p);
        assertTrue(TokenMetadata.decodesWithoutExpiry("dstok_eyJhIjoicm9vdCIsInQiOjE3OTU4MTAzNTZ9.Z094abc"));
    }

    @Test
    void expiryIsCreatedPlusDuration() {
        assertEquals(1000 + 3600L, TokenMetadata.decodedExpiry(dstok("{\"a\":\"root\",\"t\":1000,\"d\":3600}")));
        String restricted = "{\"a\":\"root\",\"t\":2000,\"d\":60,\"_r\":{\"a\":[\"vi\"],\"d\":{\"fixtures\":[\"vd\",\"es\"]}}}";
        assertEquals(2060L, TokenMetadata.decodedExpiry(dstokCompressed(restricted)));
        assertFalse(TokenMetadata.decodesWithoutExpiry(dstokCompressed(restricted)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dstok_ROOT", "dstok_", "dstok_.", "dstok_!!!.sig", "dstok_e30", "not-a-dstok.eyJ0IjoxfQ.x",
            "dstok_.bm90IHpsaWI.sig", "dstok_WzEsMl0.sig", "", "dstok_eyJ0IjoiYSIsImQiOjF9.sig"})
    void anythingElseHasNoKnownExpiry(String token) {
        assertNull(TokenMetadata.decodedExpiry(token));
    }

    @Test
    void sidecarRoundTripAndRemove() throws Exception {
        TokenMetadata meta = new TokenMetadata(tmp, null);
        meta.put("prod", "dstok_A", 1234);
        meta.put("https://a.com", null, 99);
        assertEquals(1234L, meta.recordedExpiry("prod", "dstok_A"));
        assertEquals(99L, meta.recordedExpiry("https://a.com", "anything"));
        String text = Files.readString(meta.file());
        assertTrue(text.contains("\"expires_at\": 1234"), text);
        assertFalse(text.contains("dstok_A"), "the sidecar must not hold the token: " + text);
        meta.remove("prod");
        assertNull(meta.recordedExpiry("prod", "dstok_A"));
        assertEquals(99L, meta.recordedExpiry("https://a.com", null));
    }

    @Test
    void anEntryForAReplacedTokenIsIgnored() {
        TokenMetadata meta = new TokenMetadata(tmp, null);
        meta.put("prod", "dstok_OLD", 1234);
        assertNull(meta.recordedExpiry("prod", "dstok_NEW"));
        String fresh = dstok("{\"a\":\"root\",\"t\":10,\"d\":5}");
        assertEquals(15L, meta.expiresAt("prod", fresh)); // falls back to the token's own payload
        assertEquals(1234L, meta.expiresAt("prod", "dstok_OLD"));
    }

    @Test
    void lifetimeFromTheSidecarElseThePayload() {
        TokenMetadata meta = new TokenMetadata(tmp, null);
        String fresh = dstok("{\"a\":\"root\",\"t\":10,\"d\":3600}");
        assertEquals(3600L, TokenMetadata.decodedLifetime(fresh));
        assertNull(TokenMetadata.decodedLifetime("dstok_eyJhIjoicm9vdCIsInQiOjE3OTU4MTAzNTZ9.Z094abc"));
        assertEquals(3600L, meta.lifetime("prod", fresh)); // no entry: the payload
        meta.put("prod", "opaque", 5000, 4000L);
        assertEquals(1000L, meta.lifetime("prod", "opaque"));
        assertNull(meta.lifetime("prod", "other")); // the entry is for another token
        meta.put("prod", "opaque", 5000);
        assertNull(meta.lifetime("prod", "opaque")); // no issued_at recorded
    }

    @Test
    void theSidecarWinsOverThePayloadAndAcceptsTheBriefsMinimalFormat() throws Exception {
        Files.writeString(tmp.resolve("auth-meta.json"), "{\"prod\": {\"expires_at\": 777}}");
        TokenMetadata meta = new TokenMetadata(tmp, null);
        assertEquals(777L, meta.expiresAt("prod", dstok("{\"a\":\"root\",\"t\":10,\"d\":5}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[]", "\"text\"", "{\"prod\": 5}", "{\"prod\": {\"expires_at\": \"soon\"}}"})
    void aCorruptSidecarIsIgnoredWithOneWarningNeverFatal(String content) throws Exception {
        Files.writeString(tmp.resolve("auth-meta.json"), content);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TokenMetadata meta = new TokenMetadata(tmp, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertNull(meta.recordedExpiry("prod", null));
        assertNull(meta.recordedExpiry("prod", null));
        meta.remove("prod");
        String token = dstok("{\"a\":\"root\",\"t\":10,\"d\":5}");
        assertEquals(15L, meta.expiresAt("prod", token));
        String warnings = err.toString(StandardCharsets.UTF_8);
        boolean unreadable = !content.startsWith("{\"prod\"");
        if (unreadable) {
            assertEquals(1, warnings.lines().count(), warnings);
            assertTrue(warnings.startsWith("Warning: ignoring " + meta.file()), warnings);
        } else {
            assertEquals("", warnings); // a readable file with odd entries just has no expiry for them
        }
        // The next write replaces an unreadable file instead of failing.
        meta.put("prod", token, 42);
        assertEquals(42L, new TokenMetadata(tmp, null).recordedExpiry("prod", token));
    }

    @Test
    void sidecarIsOwnerOnlyOnEveryWrite() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX permissions only");
        TokenMetadata meta = new TokenMetadata(tmp.resolve("cfg"), null);
        meta.put("prod", null, 1);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(meta.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("cfg"))));
        Files.setPosixFilePermissions(meta.file(), PosixFilePermissions.fromString("rw-r--r--"));
        meta.put("prod", null, 2);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(meta.file())));
    }

    @Test
    void aFailedWriteIsAWarningNotAnError() throws Exception {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new TokenMetadata(notADir, new PrintStream(err, true, StandardCharsets.UTF_8)).put("prod", null, 1);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Warning: could not update"), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"30,less than a minute", "60,1 minute", "3599,59 minutes", "3600,1 hour", "7200,2 hours",
            "172799,47 hours", "172800,2 days", "2592000,30 days"})
    void durations(long seconds, String expected) {
        assertEquals(expected, io.datasette.dclient.core.text.Durations.rough(seconds));
    }

    @Test
    void describeSaysExpiresOrExpired() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        assertEquals("expires 2027-01-15 13:00 UTC (in 5 hours)", TokenMetadata.describe(1_800_000_000L + 5 * 3600, now));
        assertEquals("expired 2027-01-15 05:00 UTC (3 hours ago)", TokenMetadata.describe(1_800_000_000L - 3 * 3600, now));
    }
}
