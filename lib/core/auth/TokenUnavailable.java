package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.Advice.KeptElsewhere;
import io.datasette.dclient.core.DclientException;

/**
 * A token kept outside dclient's files (in the system keyring, or given by a credential
 * command) could not be read, stored or removed. The message states the facts (which key,
 * which keyring or command, what happened; never the token or the command's output); the
 * {@link Advice} beside it ({@link KeptElsewhere}, or {@link Advice.WaitLonger} for a command
 * that outlived its time limit) lets each face say what to do next in its own words.
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
    private final TokenStorage storage;
    private final String key;

    public TokenUnavailable(String message, Reason reason, Operation operation, TokenStorage storage, String key) {
        this(message, reason, operation, storage, key, step(operation));
    }

    private TokenUnavailable(String message, Reason reason, Operation operation, TokenStorage storage, String key,
            KeptElsewhere.Step step) {
        super(message, kindOf(reason), advice(reason, storage, key, step));
        this.reason = reason;
        this.operation = operation;
        this.storage = storage;
        this.key = key;
    }

    /** The same failure while saving a token a login just got (the advice then says how to log in again). */
    public TokenUnavailable duringLogin() {
        return new TokenUnavailable(fact(), reason, operation, storage, key, KeptElsewhere.Step.LOGIN);
    }

    private static KeptElsewhere.Step step(Operation op) {
        return switch (op) {
            case READ -> KeptElsewhere.Step.READ;
            case STORE -> KeptElsewhere.Step.STORE;
            case REMOVE -> KeptElsewhere.Step.REMOVE;
        };
    }

    private static Advice advice(Reason reason, TokenStorage storage, String key, KeptElsewhere.Step step) {
        KeptElsewhere.Trouble trouble = switch (reason) {
            case COMMAND_TIMED_OUT -> null;
            case KEYRING_UNAVAILABLE -> KeptElsewhere.Trouble.UNAVAILABLE;
            case KEYRING_LOCKED -> KeptElsewhere.Trouble.LOCKED;
            case KEYRING_NO_ITEM -> KeptElsewhere.Trouble.NO_ITEM;
            default -> KeptElsewhere.Trouble.FAILED;
        };
        return trouble == null ? new Advice.WaitLonger() : new KeptElsewhere(key, storage, trouble, step);
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
    public TokenStorage storage() {
        return storage;
    }
}
