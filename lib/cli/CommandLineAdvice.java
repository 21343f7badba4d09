package io.datasette.dclient.cli;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.TokenOrigin;
import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.auth.Keyring;
import io.datasette.dclient.core.auth.TokenUnavailable;
import java.io.PrintStream;
import java.util.List;
import io.datasette.dclient.core.text.Shell;

/**
 * Core's {@link Advice} in the command line's words: its options ({@code --token},
 * {@code --timeout}, {@code -i}...) and the {@code dclient} commands to run next, quoted for a
 * POSIX shell. The dispatcher words every failure with it; handlers word warnings with it.
 * {@code api.LibraryAdvice} is the library's counterpart.
 */
public final class CommandLineAdvice implements Advice.Words<String> {
    public static final CommandLineAdvice WORDS = new CommandLineAdvice();

    private CommandLineAdvice() {}

    /** {@code advice} in these words; "" for none. */
    public static String words(Advice advice) {
        return advice == null ? "" : advice.accept(WORDS);
    }

    /** Where a token came from, as {@code auth status} says it: "--token", "alias prod in auth.json", ... */
    public static String source(Advice.Token token, boolean present) {
        return switch (token.origin()) {
            case EXPLICIT -> present ? "--token" : "--token (empty, so no token is sent)";
            case NONE -> "none";
            default -> token.where();
        };
    }

    @Override
    public String replaceToken(Advice.ReplaceToken a) {
        Advice.Token t = a.token();
        boolean malformed = a.problem() == Advice.Problem.MALFORMED;
        if (a.problem() == Advice.Problem.EXPIRING) {
            boolean stored = t.origin() == TokenOrigin.ALIAS || t.origin() == TokenOrigin.URL_PREFIX;
            return "Get a new one: " + login(a) + (stored ? "" : " --token-only");
        }
        return a.state("the one given with --token") + switch (t.origin()) {
            case EXPLICIT -> malformed ? "Check the value passed to --token."
                    : "Pass " + a.wanted() + " to --token (get one: " + login(a) + " --token-only), or leave --token"
                            + " out to use a stored token.";
            case ENV -> malformed ? "Fix or unset DATASETTE_TOKEN."
                    : "Set DATASETTE_TOKEN to " + a.wanted() + " (get one: " + login(a) + " --token-only), or unset"
                            + " it to use a stored token.";
            default -> malformed ? "Replace it: dclient auth add " + Shell.quote(t.key())
                    : (a.problem() == Advice.Problem.NOT_ALLOWED ? "Get " + a.wanted() : "Get a new one") + ": "
                            + login(a) + ", or store one: dclient auth add " + Shell.quote(t.key() != null ? t.key() : a.instance());
        };
    }

    /** {@code dclient login INSTANCE}, with the scope a token needs when a missing permission is the problem. */
    private static String login(Advice.ReplaceToken a) {
        return "dclient login" + (a.instance() == null ? "" : " " + Shell.quote(a.instance()))
                + (a.problem() == Advice.Problem.NOT_ALLOWED ? scope(a.access()) : "");
    }

    /** {@code --write DB/TABLE}, {@code --read DB}, {@code --write-all}...; "" when the access is unknown. */
    static String scope(Advice.Access access) {
        if (access == null) return "";
        String option = access.write() ? "--write" : "--read";
        if (access.database() == null || access.database().isBlank()) return " " + option + "-all";
        String target = access.table() == null || access.table().isBlank() ? access.database()
                : access.database() + "/" + access.table();
        return " " + option + " " + Shell.quote(target);
    }

    @Override
    public String addToken(Advice.AddToken a) {
        if (a.emptyGiven()) return "Pass a token to --token, or leave --token out to use a stored token.";
        String instance = Shell.quote(a.instance());
        if (a.access() != null && a.access().write()) {
            return "Get a token with write access: dclient login " + instance + scope(a.access())
                    + ", or store one: dclient auth add " + instance;
        }
        return "Add one: dclient login " + instance + ", or dclient auth add " + instance;
    }

    @Override
    public String nameEncoding(Advice.NameEncoding a) {
        return "Give its character encoding with --encoding, e.g. --encoding latin-1 (or cp1252, utf-16)";
    }

    @Override
    public String waitLonger(Advice.WaitLonger a) {
        return "Use --timeout SECONDS or DCLIENT_TIMEOUT to wait longer.";
    }

    @Override
    public String nameInstance(Advice.NameInstance a) {
        return """
                Use -i <url-or-alias>, or configure a default:

                    dclient alias add <name> <url>
                    dclient default instance <name-or-url>

                Or set the DATASETTE_URL environment variable.""";
    }

    @Override
    public String nameDatabase(Advice.NameDatabase a) {
        return """
                Use -d <name>, or configure a default:

                    dclient default database %s <database>

                Or set the DATASETTE_DATABASE environment variable.""".formatted(Shell.quote(a.instance()));
    }

    @Override
    public String addAlias(Advice.AddAlias a) {
        return "Use a URL, or add the alias: dclient alias add " + Shell.quote(a.name()) + " <url>";
    }

    @Override
    public String sendRawFilter(Advice.SendRawFilter a) {
        return "To send one a plugin adds, use --filter-raw COLUMN OP VALUE.";
    }

    @Override
    public String alterTable(Advice.AlterTable a) {
        return "To add the column, update with --alter.";
    }

    @Override
    public String storeToken(Advice.StoreToken a) {
        return "Or store a token instead: dclient auth add " + Shell.quote(a.instance());
    }

    @Override
    public String keptElsewhere(Advice.KeptElsewhere a) {
        String key = Shell.quote(a.key());
        boolean locked = a.trouble() == Advice.KeptElsewhere.Trouble.LOCKED;
        return switch (a.step()) {
            case LOGIN -> "Nothing was saved. " + (locked ? "Unlock it and log in again, or" : "Log in")
                    + " with the token saved in auth.json: dclient login " + key + " --no-keyring";
            case STORE -> (locked ? "Unlock it and try again, or s" : "S") + "tore it in auth.json instead: dclient auth add "
                    + key + " --no-keyring";
            case REMOVE -> "Nothing was removed. " + (locked ? "Unlock it and run dclient auth remove " + key + " again."
                    : "Try again, or delete the item yourself (service " + Keyring.SERVICE + ", account " + a.key()
                            + ") and run dclient auth remove " + key + " again.");
            case READ -> a.storage() == TokenStorage.COMMAND
                    ? "Run it yourself to see why; change it with dclient auth add " + key
                            + " --command '...', or store the token itself: dclient auth add " + key
                    : switch (a.trouble()) {
                        case LOCKED -> "Unlock it and try again, or keep the token in auth.json instead: dclient auth add "
                                + key + " --no-keyring";
                        case NO_ITEM -> "Store it again: dclient auth add " + key + " --keyring (or --no-keyring for"
                                + " auth.json)";
                        default -> "Keep the token in auth.json instead: dclient auth add " + key + " --no-keyring";
                    };
        };
    }

    @Override
    public String runThroughShell(Advice.RunThroughShell a) {
        return "Quote the character, or let the command run a shell: --command 'sh -c \"...\"'";
    }

    /**
     * One warning per old keyring item a store or removal could not delete: the token in it is
     * no longer used, but still there.
     */
    public static void warnLeftBehind(List<TokenUnavailable> leftBehind, PrintStream err) {
        for (TokenUnavailable t : leftBehind) {
            err.println("Warning: " + t.fact() + " It is no longer used; delete it yourself (service " + Keyring.SERVICE
                    + ", account " + t.key() + ").");
        }
    }
}
