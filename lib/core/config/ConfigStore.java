package io.datasette.dclient.core.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.Function;

/** Loads and saves {@code config.json} in the config directory. */
public final class ConfigStore {
    public static final String FILE = "config.json";
    private final Path dir;

    public ConfigStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    /** The current config; an empty one when the file does not exist. */
    public Config load() {
        ObjectNode root = JsonFiles.readObject(file());
        return root == null ? Config.empty() : Config.of(root, file());
    }

    /**
     * Read-modify-write under a lock, so concurrent dclient processes do not lose changes.
     * The change function returns a value for the caller; the file is written afterwards.
     */
    public <T> T update(Function<Config, T> change) {
        return JsonFiles.locked(dir.resolve(".config.lock"), () -> {
            Config config = load();
            T result = change.apply(config);
            JsonFiles.writeAtomic(file(), config.toJson(), false);
            return result;
        });
    }
}
