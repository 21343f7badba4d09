package io.datasette.dclient.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.config.Config;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.config.JsonFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code auth.json}: a flat {@code {"alias-or-url": "token"}} map, the format Python dclient
 * reads and writes (keys stored exactly as given, {@code json.dumps(indent=4)} layout), so a
 * user can switch between the two clients. Every write is atomic (temp file + rename), owner-only
 * (0600, re-applied each time; the directory 0700 when we create it) and happens under a lock
 * held across read-modify-write, so two {@code dclient auth add} runs never lose an entry. A
 * corrupt file is reported naming it and is never overwritten.
 */
public final class AuthStore {
    public static final String FILE = "auth.json";
    /** Lock file guarding auth.json and its sidecars {@link TokenMetadata#FILE} and {@link TokenRefs#FILE}. */
    static final String LOCK = ".auth.lock";

    private final Path dir;

    public AuthStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    Path lockFile() {
        return dir.resolve(LOCK);
    }

    /** All stored tokens in file order; empty when there is no file. */
    public Map<String, String> load() {
        ObjectNode root = JsonFiles.readObject(file());
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) return out;
        var it = root.properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (!v.isTextual()) {
                throw JsonFiles.corrupt(file(), "the value for \"" + e.getKey() + "\" is not a string");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    /**
     * Read-modify-write under the lock: {@code change} edits the map, which is written back
     * (atomically, 0600) when it changed. A corrupt file fails before anything is written.
     */
    public <T> T update(Function<Map<String, String>, T> change) {
        return JsonFiles.locked(lockFile(), () -> {
            Map<String, String> tokens = load();
            Map<String, String> before = new LinkedHashMap<>(tokens);
            T result = change.apply(tokens);
            if (!tokens.equals(before)) {
                ObjectNode root = Json.object();
                tokens.forEach(root::put);
                JsonFiles.writeAtomic(file(), Json.pretty(root, 4), true);
            }
            return result;
        });
    }

    /** Stores (or replaces) the token for {@code key}, exactly as given. */
    public void put(String key, String token) {
        update(m -> {
            // Replacing a value keeps the key's position; a new key goes last.
            m.put(key, token);
            return null;
        });
    }

    /**
     * Removes the token stored under {@code key}. For a URL, a key that differs only by trailing
     * slashes also counts. Returns the key actually removed, or null when there was none (and
     * then nothing is written).
     */
    public String remove(String key) {
        return update(m -> {
            String found = find(m.keySet(), key);
            if (found != null) m.remove(found);
            return found;
        });
    }

    /** The stored key for {@code key}: itself, or for a URL the same URL up to trailing slashes. */
    static String find(java.util.Collection<String> keys, String key) {
        if (keys.contains(key)) return key;
        if (!UrlPrefix.isUrl(key)) return null;
        String wanted = Config.stripSlash(key);
        for (String k : keys) {
            if (UrlPrefix.isUrl(k) && Config.stripSlash(k).equals(wanted)) return k;
        }
        return null;
    }
}
