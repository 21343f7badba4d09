package io.datasette.dclient.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.config.Json;
import io.datasette.dclient.config.JsonFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code auth.json}: a flat {@code {"alias-or-url": "token"}} map, the format Python dclient
 * reads and writes. Written atomically, owner-only, under a lock.
 */
public final class AuthStore {
    public static final String FILE = "auth.json";
    private final Path dir;

    public AuthStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** All stored tokens in file order; empty when there is no file. */
    public Map<String, String> load() {
        ObjectNode root = JsonFiles.readObject(file());
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) return out;
        var it = root.fields();
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

    /** Read-modify-write under a lock; the map passed to {@code change} is written back. */
    public <T> T update(Function<Map<String, String>, T> change) {
        return JsonFiles.locked(dir.resolve(".auth.lock"), () -> {
            Map<String, String> tokens = load();
            T result = change.apply(tokens);
            ObjectNode root = Json.object();
            tokens.forEach(root::put);
            JsonFiles.writeAtomic(file(), Json.pretty(root, 4), true);
            return result;
        });
    }

    public void put(String key, String token) {
        update(m -> m.put(key, token));
    }

    /** Returns false when there was no such key (and then nothing is written). */
    public boolean remove(String key) {
        if (!load().containsKey(key)) return false;
        return update(m -> m.remove(key) != null);
    }
}
