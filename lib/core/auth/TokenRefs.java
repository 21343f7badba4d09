package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.config.JsonFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code auth-sources.json}: the tokens that are not in {@code auth.json}, by where they are
 * instead, under the same keys (aliases and URL prefixes). It holds no secret, only where to
 * get one:
 *
 * <pre>
 * {
 *     "prod": {"storage": "keyring", "service": "io.datasette.dclient", "account": "prod"},
 *     "ci": {"storage": "command", "command": "pass show datasette/ci"}
 * }
 * </pre>
 *
 * A file of its own because Python dclient reads every value of {@code auth.json} as a token
 * (it would send such an entry as {@code Bearer {'storage': ...}}) and never opens this one.
 * Written atomically and owner-only (a command line can say more about a user than they want
 * to share) under {@code auth.json}'s lock; a file that does not parse is an error naming it,
 * and is never overwritten.
 */
public final class TokenRefs {
    public static final String FILE = "auth-sources.json";

    /** Where one token is: in the keyring under {@code account}, or printed by {@code command}. */
    public record Ref(TokenStorage storage, String account, String command) {
        public static Ref keyring(String account) {
            return new Ref(TokenStorage.KEYRING, account, null);
        }

        public static Ref command(String command) {
            return new Ref(TokenStorage.COMMAND, null, command);
        }
    }

    private final Path dir;

    public TokenRefs(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** Every entry in file order; empty when there is no file. */
    public Map<String, Ref> load() {
        ObjectNode root = JsonFiles.readObject(file());
        Map<String, Ref> out = new LinkedHashMap<>();
        if (root == null) return out;
        var it = root.properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            out.put(e.getKey(), parse(e.getKey(), e.getValue()));
        }
        return out;
    }

    private Ref parse(String key, JsonNode v) {
        String storage = v.path("storage").asText("").toLowerCase(Locale.ROOT);
        switch (storage) {
            case "keyring" -> {
                if (!v.path("service").asText(Keyring.SERVICE).equals(Keyring.SERVICE)) {
                    throw JsonFiles.corrupt(file(), "\"" + key + "\" names a keyring service other than " + Keyring.SERVICE);
                }
                JsonNode account = v.get("account");
                return Ref.keyring(account != null && account.isTextual() ? account.asText() : key);
            }
            case "command" -> {
                JsonNode command = v.get("command");
                if (command == null || !command.isTextual() || command.asText().isBlank()) {
                    throw JsonFiles.corrupt(file(), "\"" + key + "\" needs a \"command\" string");
                }
                return Ref.command(command.asText());
            }
            default -> throw JsonFiles.corrupt(file(), "\"" + key + "\" needs \"storage\": \"keyring\" or \"command\"");
        }
    }

    /**
     * Read-modify-write under auth.json's lock (callers may already hold it): the map is
     * written back when it changed.
     */
    public <T> T update(Function<Map<String, Ref>, T> change) {
        return JsonFiles.locked(dir.resolve(AuthStore.LOCK), () -> {
            Map<String, Ref> refs = load();
            Map<String, Ref> before = new LinkedHashMap<>(refs);
            T result = change.apply(refs);
            if (!refs.equals(before)) {
                ObjectNode root = Json.object();
                refs.forEach((k, r) -> {
                    ObjectNode entry = root.putObject(k);
                    if (r.storage() == TokenStorage.KEYRING) {
                        entry.put("storage", "keyring");
                        entry.put("service", Keyring.SERVICE);
                        entry.put("account", r.account());
                    } else {
                        entry.put("storage", "command");
                        entry.put("command", r.command());
                    }
                });
                JsonFiles.writeAtomic(file(), Json.pretty(root, 4), true);
            }
            return result;
        });
    }
}
