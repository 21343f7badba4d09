package io.datasette.dclient.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.json.Json;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.text.Safe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code config.json}, in Python dclient's format:
 * {@code {"default_instance": name|url|null, "instances": {name: {"url", "default_database"}}}}.
 * Backed by the JSON tree so keys this version does not know survive a rewrite.
 */
public final class Config {
    private final ObjectNode root;

    /** An instance entry. */
    public record Instance(String name, String url, String defaultDatabase) {}

    public Config(ObjectNode root) {
        this.root = root;
    }

    public static Config empty() {
        ObjectNode root = Json.object();
        root.putNull("default_instance");
        root.putObject("instances");
        return new Config(root);
    }

    /** Checks the shape, so later code can trust it; {@code file} names it in the error. */
    static Config of(ObjectNode root, Path file) {
        JsonNode instances = root.get("instances");
        if (instances != null && !instances.isNull() && !instances.isObject()) {
            throw JsonFiles.corrupt(file, "\"instances\" must be an object");
        }
        if (instances != null && instances.isObject()) {
            var it = instances.properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isObject() || !e.getValue().path("url").isTextual()) {
                    throw JsonFiles.corrupt(file, "instance \"" + e.getKey() + "\" needs a \"url\" string");
                }
            }
        }
        JsonNode def = root.get("default_instance");
        if (def != null && !def.isNull() && !def.isTextual()) {
            throw JsonFiles.corrupt(file, "\"default_instance\" must be a string or null");
        }
        JsonNode storage = root.get("token_storage");
        if (storage != null && !storage.isNull()
                && !(storage.isTextual() && (storage.asText().equals("keyring") || storage.asText().equals("file")))) {
            throw JsonFiles.corrupt(file, "\"token_storage\" must be \"keyring\" or \"file\"");
        }
        return new Config(root);
    }

    public ObjectNode json() {
        return root;
    }

    /** {@link #json} to show a person: the password of each URL masked ({@link Safe#maskUrl}). */
    public ObjectNode maskedJson() {
        ObjectNode copy = root.deepCopy();
        if (copy.get("default_instance") instanceof com.fasterxml.jackson.databind.node.TextNode t) {
            copy.put("default_instance", Safe.maskUrl(t.asText()));
        }
        if (copy.get("instances") instanceof ObjectNode instances) {
            for (JsonNode entry : instances) {
                if (entry instanceof ObjectNode o && o.get("url") != null && o.get("url").isTextual()) {
                    o.put("url", Safe.maskUrl(o.get("url").asText()));
                }
            }
        }
        return copy;
    }

    public String defaultInstance() {
        JsonNode v = root.get("default_instance");
        return v == null || v.isNull() ? null : v.asText();
    }

    public void setDefaultInstance(String value) {
        if (value == null) root.putNull("default_instance");
        else root.put("default_instance", value);
    }

    private ObjectNode instancesNode() {
        JsonNode n = root.get("instances");
        if (n == null || !n.isObject()) return root.putObject("instances");
        return (ObjectNode) n;
    }

    /** Instances in file order. */
    public Map<String, Instance> instances() {
        Map<String, Instance> out = new LinkedHashMap<>();
        JsonNode n = root.get("instances");
        if (n == null || !n.isObject()) return out;
        n.properties().forEach(e -> out.put(e.getKey(), toInstance(e.getKey(), e.getValue())));
        return out;
    }

    public Instance instance(String name) {
        JsonNode n = root.path("instances").get(name);
        return n == null || !n.isObject() ? null : toInstance(name, n);
    }

    private static Instance toInstance(String name, JsonNode n) {
        JsonNode db = n.get("default_database");
        return new Instance(name, n.path("url").asText(), db == null || db.isNull() ? null : db.asText());
    }

    /** Adds or updates an alias; an existing alias keeps its default database. */
    public void putInstance(String name, String url) {
        ObjectNode existing = instancesNode().get(name) instanceof ObjectNode o ? o : null;
        if (existing != null) {
            existing.put("url", url);
            return;
        }
        ObjectNode entry = instancesNode().putObject(name);
        entry.put("url", url);
        entry.set("default_database", NullNode.getInstance());
    }

    public boolean removeInstance(String name) {
        return instancesNode().remove(name) != null;
    }

    public void setDefaultDatabase(String name, String database) {
        ObjectNode entry = (ObjectNode) instancesNode().get(name);
        if (database == null) entry.putNull("default_database");
        else entry.put("default_database", database);
    }

    /**
     * Where new tokens go when neither {@code --keyring} nor {@code --no-keyring} says:
     * {@code "token_storage"} ("keyring" or "file"; absent means the file, as Python dclient
     * has it). Python dclient ignores the key and keeps it when it rewrites the file.
     */
    public String tokenStorage() {
        JsonNode v = root.get("token_storage");
        return v == null || v.isNull() ? null : v.asText();
    }

    public void setTokenStorage(String value) {
        if (value == null) root.remove("token_storage");
        else root.put("token_storage", value);
    }

    /** The first alias (in file order) whose URL equals {@code url}, ignoring trailing slashes. */
    public String aliasForUrl(String url) {
        String wanted = stripSlash(url);
        for (Instance i : instances().values()) {
            if (stripSlash(i.url()).equals(wanted)) return i.name();
        }
        return null;
    }

    public static String stripSlash(String url) {
        String s = url;
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /** The file text: Python's {@code json.dumps(config, indent=4)}, byte for byte (ASCII escapes included). */
    public String toJson() {
        return Json.asciiOnly(Json.pretty(root, 4));
    }
}
