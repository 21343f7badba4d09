package io.datasette.dclient.cli.commands.alias;

import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.Credentials;
import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.config.ConfigStore;
import io.datasette.dclient.core.io.Context;
import java.util.Locale;

/**
 * {@code default token-storage [file|keyring]}: where {@code auth add} and {@code login} put new
 * tokens when neither {@code --keyring} nor {@code --no-keyring} is given ({@code token_storage}
 * in config.json; "file" removes the key, so config.json stays as Python dclient writes it).
 * Without an argument, prints the current setting.
 */
public final class DefaultTokenStorageHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        ConfigStore store = new ConfigStore(ctx.configDir());
        String value = inv.string("storage");
        if (value == null) {
            TokenStorage current = Credentials.defaultStorage(store.load());
            ctx.out().println(current == TokenStorage.KEYRING ? "keyring" : "file");
            return 0;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("file") && !v.equals("keyring")) {
            throw DclientException.usage("Token storage must be file or keyring, not " + value);
        }
        store.update(c -> {
            c.setTokenStorage(v.equals("keyring") ? "keyring" : null);
            return null;
        });
        return 0;
    }
}
