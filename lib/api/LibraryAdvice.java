package io.datasette.dclient.api;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.Keyring;
import java.util.function.Supplier;

/**
 * Core's {@link Advice} in the library's words: {@link Datasette.Builder}'s methods,
 * {@link Tokens}, the facade's own calls, never a command-line option. {@link #call} attaches
 * these words to every {@link DclientException} that leaves the facade, so
 * {@code getMessage()} reads as a Java caller needs it. {@code cli.CommandLineAdvice} is the
 * command line's counterpart.
 */
final class LibraryAdvice implements Advice.Words<String> {
    static final LibraryAdvice WORDS = new LibraryAdvice();
    /** How the library names the explicit rung of the token order. */
    static final String EXPLICIT = "Datasette.builder().token(...)";

    private LibraryAdvice() {}

    /** Runs a facade call; a failure leaves it worded for a Java caller. */
    static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (DclientException e) {
            throw e.wordedBy(WORDS);
        }
    }

    /** As {@link #call}, for calls that return nothing. */
    static void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Where a token came from, as {@code Datasette.tokenSource()} says it. */
    static String source(Advice.Token token, boolean present) {
        return switch (token.origin()) {
            case EXPLICIT -> present ? EXPLICIT : EXPLICIT + " (empty, so no token is sent)";
            case NONE -> "none";
            default -> token.where();
        };
    }

    @Override
    public String replaceToken(Advice.ReplaceToken a) {
        Advice.Token t = a.token();
        return a.state("the one given to " + EXPLICIT) + switch (t.origin()) {
            case EXPLICIT -> "Pass " + a.wanted() + " to " + EXPLICIT + ", or leave it unset to use a stored token.";
            case ENV -> "Set DATASETTE_TOKEN to " + a.wanted() + ", or unset it to use a stored token.";
            default -> "Store " + a.wanted() + " for it: Tokens.open().put("
                    + quoted(t.key() != null ? t.key() : a.instance()) + ", token).";
        };
    }

    @Override
    public String addToken(Advice.AddToken a) {
        if (a.emptyGiven()) return "Pass a token to " + EXPLICIT + ", or leave it unset to use a stored token.";
        String wanted = a.access() != null && a.access().write() ? "a token with write access" : "one";
        return "Pass " + wanted + " to " + EXPLICIT + ", or store one: Tokens.open().put(" + quoted(a.instance()) + ", token).";
    }

    @Override
    public String nameEncoding(Advice.NameEncoding a) {
        return "Read it with its own character encoding before passing its rows.";
    }

    @Override
    public String waitLonger(Advice.WaitLonger a) {
        return "Use Datasette.builder().timeout(...) or DCLIENT_TIMEOUT to wait longer.";
    }

    @Override
    public String nameInstance(Advice.NameInstance a) {
        return "Name one: Datasette.open(\"https://...\") or Datasette.builder().instance(...), or set DATASETTE_URL.";
    }

    @Override
    public String nameDatabase(Advice.NameDatabase a) {
        return "Pass the database name to the call, or set DATASETTE_DATABASE.";
    }

    @Override
    public String addAlias(Advice.AddAlias a) {
        return "Use the instance's URL (Datasette.builder().url(...)), or add the alias to config.json.";
    }

    @Override
    public String sendRawFilter(Advice.SendRawFilter a) {
        return "To send one a plugin adds, use filterRaw(column, op, value).";
    }

    @Override
    public String alterTable(Advice.AlterTable a) {
        return "To add the column, pass alter = true: update(database, table, primaryKey, changes, true).";
    }

    @Override
    public String storeToken(Advice.StoreToken a) {
        return "Store a token for it instead: Tokens.open().put(" + quoted(a.instance()) + ", token).";
    }

    @Override
    public String keptElsewhere(Advice.KeptElsewhere a) {
        String key = quoted(a.key());
        boolean locked = a.trouble() == Advice.KeptElsewhere.Trouble.LOCKED;
        return switch (a.step()) {
            case STORE, LOGIN -> (locked ? "Unlock it and try again, or s" : "S")
                    + "tore it in auth.json instead: Tokens.open().put(" + key + ", token).";
            case REMOVE -> "Nothing was removed. " + (locked ? "Unlock it and call Tokens.remove(" + key + ") again."
                    : "Delete the item yourself (service " + Keyring.SERVICE + ", account " + a.key()
                            + ") and call Tokens.remove(" + key + ") again.");
            case READ -> (locked ? "Unlock it and try again, or pass" : "Pass") + " the token to " + EXPLICIT
                    + ", or store it in auth.json: Tokens.open().put(" + key + ", token).";
        };
    }

    @Override
    public String runThroughShell(Advice.RunThroughShell a) {
        return "Quote the character, or let the command run a shell: putCommand(key, \"sh -c '...'\").";
    }

    /** {@code s} as a Java string literal. */
    private static String quoted(String s) {
        return "\"" + (s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }
}
