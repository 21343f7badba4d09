package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.DclientException;

/**
 * A token kept outside dclient's files (in the system keyring, or given by a credential
 * command) could not be read, stored or removed. The message states the facts (which key,
 * which keyring or command, what happened; never the token or the command's output); each face
 * adds what to do next in its own words from {@link #reason}, {@link #operation} and
 * {@link #key}.
 */
public final class TokenUnavailable extends DclientException {
    /** What went wrong. */
    public enum Reason {
        /** No keyring to talk to: its tool is not installed, or no keyring service is running. */
        KEYRING_UNAVAILABLE,
        /** The keyring is there but locked (and could not be unlocked without a prompt). */
        KEYRING_LOCKED,
        /** dclient's note says the keyring has the token, but the keyring has no such item. */
        KEYRING_NO_ITEM,
        /** The keyring tool failed for another reason. */
        KEYRING_FAILED,
        /** The credential command's program is not on the PATH (or cannot be started). */
        COMMAND_NOT_FOUND,
        /** The credential command exited with a non-zero status. */
        COMMAND_FAILED,
        /** The credential command did not finish within the time limit (it was stopped). */
        COMMAND_TIMED_OUT,
        /** The credential command printed nothing on its first line. */
        COMMAND_EMPTY,
        /** What the keyring or command gave cannot be sent as a token (spaces, control characters). */
        MALFORMED
    }

    /** What dclient was doing. */
    public enum Operation { READ, STORE, REMOVE }

    private final Reason reason;
    private final Operation operation;
    private final Storage storage;
    private final String key;

    public TokenUnavailable(String message, Reason reason, Operation operation, Storage storage, String key) {
        super(message, kindOf(reason));
        this.reason = reason;
        this.operation = operation;
        this.storage = storage;
        this.key = key;
    }

    private static Kind kindOf(Reason reason) {
        return switch (reason) {
            case KEYRING_NO_ITEM, COMMAND_NOT_FOUND -> Kind.NOT_FOUND;
            default -> Kind.FAILED;
        };
    }

    public Reason reason() {
        return reason;
    }

    public Operation operation() {
        return operation;
    }

    /** The alias or URL the token is stored under. */
    public String key() {
        return key;
    }

    /** The keyring or a credential command. */
    public Storage storage() {
        return storage;
    }
}
