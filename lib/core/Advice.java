package io.datasette.dclient.core;

import java.util.Locale;

/**
 * What the user can do about a failure, as facts: which token was sent and where it came from,
 * what the server refused, what is missing. Core attaches one to a {@link DclientException} and
 * never words it; each face does, in its own terms, through {@link Words}: the command line
 * names its options and {@code dclient} commands, the library its builder methods. A new kind
 * of advice does not compile until both faces word it.
 */
public interface Advice {
    <R> R accept(Words<R> words);

    /** A face's words for every kind of advice. */
    interface Words<R> {
        R replaceToken(ReplaceToken advice);

        R addToken(AddToken advice);

        R waitLonger(WaitLonger advice);

        R nameEncoding(NameEncoding advice);

        R nameInstance(NameInstance advice);

        R nameDatabase(NameDatabase advice);

        R addAlias(AddAlias advice);

        R sendRawFilter(SendRawFilter advice);

        R alterTable(AlterTable advice);

        R storeToken(StoreToken advice);

        R keptElsewhere(KeptElsewhere advice);

        R runThroughShell(RunThroughShell advice);
    }

    /**
     * A token as advice names it, never its value: where it came from, its stored key (for
     * {@link TokenOrigin#ALIAS} and {@link TokenOrigin#URL_PREFIX}), the actor a {@code dstok_}
     * token names (null when unknown), and for a stored token where it lives: auth.json, the
     * keyring, or a credential command ({@code command}: the command as messages show it).
     */
    record Token(TokenOrigin origin, String key, String actor, TokenStorage storage, String command) {
        /** A token from auth.json (for the stored rungs), or from no store at all. */
        public Token(TokenOrigin origin, String key, String actor) {
            this(origin, key, actor,
                    origin == TokenOrigin.ALIAS || origin == TokenOrigin.URL_PREFIX ? TokenStorage.FILE : null, null);
        }

        /**
         * Where a stored or environment token came from, as both faces name it ("alias prod in
         * auth.json", "URL prefix https://x in the keyring", "alias prod (command 'pass show
         * prod')"); null for the explicit rung and none.
         */
        public String where() {
            return switch (origin) {
                case ALIAS -> "alias " + key + place();
                case URL_PREFIX -> "URL prefix " + key + place();
                case ENV -> "DATASETTE_TOKEN";
                case EXPLICIT, NONE -> null;
            };
        }

        private String place() {
            if (storage == null) return "";
            return switch (storage) {
                case FILE -> " in auth.json";
                case KEYRING -> " in the keyring";
                case COMMAND -> " (command " + command + ")";
            };
        }

        /**
         * Which token, for a sentence: "the one stored for alias prod in auth.json (a dstok_
         * token for actor "alice")"; {@code explicit} is the face's name for its explicit rung
         * ("the one given with --token").
         */
        public String which(String explicit) {
            String from = switch (origin) {
                case EXPLICIT -> explicit;
                case ENV -> "the one in DATASETTE_TOKEN";
                case NONE -> "none";
                default -> "the one stored for " + where();
            };
            return actor == null ? from : from + " (a dstok_ token for actor \"" + actor + "\")";
        }
    }

    /**
     * What a token must allow for the request that failed: to write or only to read, in
     * {@code database} (and {@code table}); a null database means the whole instance.
     */
    record Access(boolean write, String database, String table) {}

    /** Why a token has to be replaced. */
    enum Problem {
        /** The server said the token has expired. */
        EXPIRED,
        /** It expires soon: a warning, not a failure. */
        EXPIRING,
        /** The server refused it (401) for another reason: a bad signature, an unknown token. */
        REFUSED,
        /** The server knows it, but it does not allow the request (403). */
        NOT_ALLOWED,
        /** It cannot be sent at all: spaces, control characters or non-ASCII characters in it. */
        MALFORMED
    }

    /**
     * The token in use cannot do the job on {@code instance} (the alias or URL the user named):
     * get or give another. {@code access} is what it must allow, or null when unknown.
     */
    record ReplaceToken(String instance, Token token, Problem problem, Access access) implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.replaceToken(this);
        }

        /**
         * The facts that open the advice, the same for both faces but for the explicit rung's
         * name ({@link Token#which}): "The token sent was the one in DATASETTE_TOKEN; it has
         * expired. " ("" for {@link Problem#EXPIRING}, whose warning says it already).
         */
        public String state(String explicit) {
            String which = token.which(explicit);
            return switch (problem) {
                case EXPIRED -> "The token sent was " + which + "; it has expired. ";
                case REFUSED -> "The token sent was " + which + "; the server did not accept it. ";
                case NOT_ALLOWED -> "The token sent was " + which + "; it does not allow this"
                        + (writes() ? " write" : "") + ". ";
                case MALFORMED -> "It is " + which + ". ";
                case EXPIRING -> "";
            };
        }

        /** The token to get instead: "a token with write access", "a current token", "a valid token"... */
        public String wanted() {
            return switch (problem) {
                case NOT_ALLOWED -> writes() ? "a token with write access" : "a token that allows it";
                case EXPIRED, EXPIRING -> "a current token";
                case REFUSED, MALFORMED -> "a valid token";
            };
        }

        private boolean writes() {
            return access != null && access.write();
        }
    }

    /**
     * No token was sent (or found) for {@code instance} and one is needed; {@code emptyGiven}
     * when the caller explicitly gave an empty one. {@code access}: what it must allow, or null.
     */
    record AddToken(String instance, boolean emptyGiven, Access access) implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.addToken(this);
        }
    }

    /** Input is not text in the encoding it was read with: naming its real one may do. */
    record NameEncoding() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.nameEncoding(this);
        }
    }

    /** The server did not answer within the time limit: a longer one may do. */
    record WaitLonger() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.waitLonger(this);
        }
    }

    /** No instance was named and none is configured as the default. */
    record NameInstance() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.nameInstance(this);
        }
    }

    /** No database was named and {@code instance} (its alias or URL) has no default one. */
    record NameDatabase(String instance) implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.nameDatabase(this);
        }
    }

    /** {@code name} is not a configured alias (nor a URL). */
    record AddAlias(String name) implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.addAlias(this);
        }
    }

    /** A filter operator dclient does not know (a plugin may add it): it can be sent unchecked. */
    record SendRawFilter() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.sendRawFilter(this);
        }
    }

    /** An update names a column the table lacks: the update can add it by altering the table. */
    record AlterTable() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.alterTable(this);
        }
    }

    /** {@code instance} offers no OAuth device login: a token made elsewhere can be stored for it. */
    record StoreToken(String instance) implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.storeToken(this);
        }
    }

    /**
     * The token for {@code key} is kept in the keyring, or printed by a credential command
     * ({@link #storage}), and that could not {@link #step read, store or remove} it, for the
     * reason {@link #trouble} names. A command that outlived its time limit gets
     * {@link WaitLonger} instead.
     */
    record KeptElsewhere(String key, TokenStorage storage, Trouble trouble, Step step) implements Advice {
        /** What went wrong with the keyring or the command. */
        public enum Trouble {
            /** No keyring to talk to (its tool is missing, no keyring service runs). */
            UNAVAILABLE,
            /** The keyring is locked. */
            LOCKED,
            /** dclient's note says the keyring has it, but the keyring has no such item. */
            NO_ITEM,
            /** The keyring tool or the command failed (or printed nothing usable). */
            FAILED
        }

        /** What was being done: reading it for a request, storing it ({@code auth add}, the library), storing it after a login, removing it. */
        public enum Step { READ, STORE, LOGIN, REMOVE }

        @Override
        public <R> R accept(Words<R> words) {
            return words.keptElsewhere(this);
        }
    }

    /**
     * A credential command uses shell syntax (a pipe, a variable, {@code ~}), but commands run
     * without a shell: quote the character, or make the command run a shell itself.
     */
    record RunThroughShell() implements Advice {
        @Override
        public <R> R accept(Words<R> words) {
            return words.runThroughShell(this);
        }
    }

    /**
     * The advice for a request the server refused (HTTP 401 or 403) with {@code serverText}
     * (Datasette's "Token has expired", "Permission denied"...; may be null): add a token when
     * none was {@code sent}, else replace {@code token} for the reason {@link #problem} reads.
     */
    static Advice refused(int status, String serverText, Token token, boolean sent, String instance, Access access) {
        if (!sent) return new AddToken(instance, token != null && token.origin() == TokenOrigin.EXPLICIT, access);
        return new ReplaceToken(instance, token, problem(status, serverText), access);
    }

    /** Why the server refused a token: Datasette says "Token has expired"; else 403 is permission, 401 the token itself. */
    static Problem problem(int status, String serverText) {
        if (serverText != null && serverText.toLowerCase(Locale.ROOT).contains("expired")) return Problem.EXPIRED;
        return status == 403 ? Problem.NOT_ALLOWED : Problem.REFUSED;
    }
}
