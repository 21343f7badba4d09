package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.text.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.config.JsonFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What dclient knows about stored tokens beyond auth.json (which must stay in Python dclient's
 * flat format): the sidecar {@code auth-meta.json} in the config directory,
 * {@code {"<auth.json key>": {"expires_at": <epoch seconds>, "issued_at": <epoch seconds>,
 * "token_sha256": "<16 hex>"}}}. {@code dclient login} records the expiry the server announced
 * and when it got the token (so the token's lifetime is known, for expiry warnings); {@code auth add} and
 * {@code auth remove} drop the entry for their key. The optional {@code token_sha256} (a hash
 * prefix, never token characters) lets a reader ignore an entry whose token was since replaced
 * by another client.
 *
 * <p>The sidecar is a convenience, never a reason to fail: a corrupt or unreadable one is
 * ignored with one warning (and replaced on the next write); a failed write is a warning.
 * Writes are atomic and owner-only, under the same lock as auth.json.
 *
 * <p>When there is no entry, the expiry is decoded best-effort from a Datasette {@code dstok_}
 * token's signed payload ({@code t} + {@code d}); other token formats have no known expiry.
 */
public final class TokenMetadata {
    public static final String FILE = "auth-meta.json";
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final PrintStream warnings;
    private boolean warned;

    /** @param warnings where to say that the sidecar was ignored (stderr), or null for silence */
    public TokenMetadata(Path dir, PrintStream warnings) {
        this.dir = dir;
        this.warnings = warnings;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** The sidecar's entries; empty when it is missing, corrupt or unreadable (with a warning). */
    public Map<String, ObjectNode> load() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        ObjectNode root = readOrNull();
        if (root == null) return out;
        root.properties().forEach(e -> {
            if (e.getValue() instanceof ObjectNode o) out.put(e.getKey(), o);
        });
        return out;
    }

    /**
     * The expiry recorded for {@code key}, in epoch seconds; null when none is recorded, or the
     * entry belongs to a different token than {@code token} (pass null to skip that check).
     */
    public Long recordedExpiry(String key, String token) {
        return recordedExpiry(load().get(key), token);
    }

    private static Long recordedExpiry(ObjectNode entry, String token) {
        if (entry == null || !entry.path("expires_at").canConvertToLong()) return null;
        JsonNode hash = entry.get("token_sha256");
        if (token != null && hash != null && hash.isTextual() && !hash.asText().equals(fingerprint(token))) {
            return null;
        }
        return entry.path("expires_at").asLong();
    }

    /**
     * When the token stored under {@code key} expires, in epoch seconds: the sidecar entry if
     * there is one for this token, else the {@code dstok_} payload; null when unknown.
     */
    public Long expiresAt(String key, String token) {
        Long recorded = key == null ? null : recordedExpiry(key, token);
        return recorded != null ? recorded : decodedExpiry(token);
    }

    /**
     * How long the token stored under {@code key} was issued for, in seconds: from the sidecar
     * entry ({@code expires_at - issued_at}) if there is one for this token, else the
     * {@code dstok_} payload's {@code d}; null when unknown.
     */
    public Long lifetime(String key, String token) {
        ObjectNode entry = key == null ? null : load().get(key);
        Long expires = recordedExpiry(entry, token);
        if (expires != null && entry.path("issued_at").canConvertToLong()) {
            long issued = entry.path("issued_at").asLong();
            return expires > issued ? expires - issued : null;
        }
        return decodedLifetime(token);
    }

    /** How long a {@code dstok_} token was issued for ({@code d}, seconds), or null. */
    public static Long decodedLifetime(String token) {
        Payload p = decode(token);
        return p == null || p.expiresAt() == null ? null : p.expiresAt() - p.createdAt();
    }

    /** Like {@link #expiresAt(String, String)} with the sidecar already loaded. */
    /**
     * The expiry noted for {@code key} in {@code entries} without checking which token it was
     * noted for: for a token dclient does not read just to list it (one in the keyring).
     */
    public static Long recordedExpiry(Map<String, ObjectNode> entries, String key) {
        return recordedExpiry(entries.get(key), null);
    }

    public static Long expiresAt(Map<String, ObjectNode> entries, String key, String token) {
        Long recorded = key == null ? null : recordedExpiry(entries.get(key), token);
        return recorded != null ? recorded : decodedExpiry(token);
    }

    /**
     * Records that the token stored under {@code key} expires at {@code expiresAt} (epoch
     * seconds). {@code token} may be null; when given, a hash prefix of it is stored so that a
     * later reader can tell the entry is stale. Never throws: failures are warnings.
     */
    public void put(String key, String token, long expiresAt) {
        put(key, token, expiresAt, null);
    }

    /** Like {@link #put(String, String, long)}, also recording when the token was issued (or null). */
    public void put(String key, String token, long expiresAt, Long issuedAt) {
        modify(root -> {
            ObjectNode entry = root.putObject(key);
            entry.put("expires_at", expiresAt);
            if (issuedAt != null) entry.put("issued_at", issuedAt);
            if (token != null) entry.put("token_sha256", fingerprint(token));
        });
    }

    /** Drops the entry for {@code key} (its token was replaced or removed). Never throws. */
    public void remove(String key) {
        if (!load().containsKey(key)) return;
        modify(root -> root.remove(key));
    }

    private void modify(java.util.function.Consumer<ObjectNode> change) {
        try {
            JsonFiles.locked(dir.resolve(AuthStore.LOCK), () -> {
                ObjectNode root = readOrNull();
                if (root == null) root = Json.object();
                change.accept(root);
                JsonFiles.writeAtomic(file(), Json.pretty(root, 4), true);
                return null;
            });
        } catch (DclientException e) {
            warn("Warning: could not update " + file() + " (token expiry notes): " + e.getMessage());
        }
    }

    private ObjectNode readOrNull() {
        try {
            return JsonFiles.readObject(file());
        } catch (DclientException e) {
            warn("Warning: ignoring " + file() + ": it cannot be read as a JSON object. It only holds"
                    + " token expiry notes; dclient rewrites it when it next records one.");
            return null;
        }
    }

    private void warn(String message) {
        if (warnings != null && !warned) {
            warnings.println(message);
            warned = true;
        }
    }

    /** The first 16 hex digits of the token's SHA-256: identifies it without revealing it. */
    static String fingerprint(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- dstok_ payloads -------------------------------------------------------------------

    /** A decoded {@code dstok_} payload: actor id, created and (when set) expiry, epoch seconds. */
    public record Payload(String actor, Long createdAt, Long expiresAt) {}

    /**
     * Decodes the signed (not encrypted) payload of a Datasette {@code dstok_} token:
     * {@code dstok_} + [{@code .} if zlib-compressed] + base64url(JSON) + {@code .} + signature.
     * Returns null for anything else; the signature is not checked (only the server can).
     */
    public static Payload decode(String token) {
        if (token == null || !token.startsWith("dstok_")) return null;
        String rest = token.substring("dstok_".length());
        boolean compressed = rest.startsWith(".");
        if (compressed) rest = rest.substring(1);
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) return null;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(rest.substring(0, dot));
            if (compressed) bytes = inflate(bytes);
            JsonNode json = Json.parse(bytes);
            if (json == null || !json.isObject()) return null;
            Long created = json.path("t").canConvertToLong() ? json.path("t").asLong() : null;
            Long duration = json.path("d").canConvertToLong() ? json.path("d").asLong() : null;
            String actor = json.path("a").isValueNode() ? json.path("a").asText() : null;
            Long expires = created != null && duration != null && duration > 0 ? created + duration : null;
            return new Payload(actor, created, expires);
        } catch (IllegalArgumentException | java.io.IOException | DataFormatException e) {
            return null;
        }
    }

    /** The expiry encoded in a {@code dstok_} token, or null (not one, undecodable, or none set). */
    public static Long decodedExpiry(String token) {
        Payload p = decode(token);
        return p == null ? null : p.expiresAt();
    }

    /** True for a {@code dstok_} token whose payload sets no expiry. */
    public static boolean decodesWithoutExpiry(String token) {
        Payload p = decode(token);
        return p != null && p.expiresAt() == null;
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw new DataFormatException("truncated");
                out.write(buf, 0, n);
                if (out.size() > 1 << 20) throw new DataFormatException("too large");
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    // ---- wording ---------------------------------------------------------------------------

    /** "2026-05-01 10:00 UTC". */
    public static String when(long epochSeconds) {
        return WHEN.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** "expires 2026-05-01 10:00 UTC (in 5 hours)" or "expired 2026-05-01 10:00 UTC (3 days ago)". */
    public static String describe(long expiresAt, Instant now) {
        long left = expiresAt - now.getEpochSecond();
        if (left > 0) return "expires " + when(expiresAt) + " (in " + Durations.rough(left) + ")";
        return "expired " + when(expiresAt) + " (" + Durations.rough(-left) + " ago)";
    }
}
