package io.datasette.dclient.core;

/**
 * Where a stored token lives: in {@code auth.json} (the file Python dclient shares), in the
 * system keyring ({@code auth-sources.json} only notes that it is there), or nowhere, because
 * a credential command prints it each time it is needed.
 */
public enum TokenStorage {
    FILE, KEYRING, COMMAND
}
