package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.TokenStorage;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Secrets;
import io.datasette.dclient.core.auth.TokenUnavailable.Operation;
import io.datasette.dclient.core.auth.TokenUnavailable.Reason;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Processes;
import io.datasette.dclient.core.text.Durations;
import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Shell;
import java.time.Duration;
import java.util.List;

/**
 * A credential command ({@code pass show datasette/prod}, {@code op read op://...}), as git's
 * {@code credential.helper} or the AWS CLI's {@code credential_process}: run without a shell
 * (the line is split as a shell splits simple quoting, see {@link Shell#split}) each time the
 * token is needed, with the context's environment, nothing on its standard input, and its
 * standard error dropped. The first line of its standard output is the token; it is never
 * written anywhere or kept beyond the run. A command that cannot be found, fails, outlives the
 * time limit (it is killed, with what it started) or prints nothing is a
 * {@link TokenUnavailable} naming the command, never repeating its output.
 */
public final class CredentialCommand {
    private CredentialCommand() {}

    /** The words of {@code line}, or a usage error saying why it cannot be run. */
    public static List<String> parse(String line) {
        try {
            return Shell.split(line);
        } catch (IllegalArgumentException e) {
            throw new DclientException("Cannot use the command " + shown(line) + ": " + e.getMessage() + ".",
                    DclientException.Kind.USAGE, e instanceof Shell.ShellSyntax ? new Advice.RunThroughShell() : null);
        }
    }

    /** The command as messages show it: one line, credential-shaped parts masked. */
    public static String shown(String line) {
        return "'" + Secrets.mask(Safe.line(line == null ? "" : line, 200)) + "'";
    }

    /** The token {@code line} prints for {@code key}, within {@code timeout}. */
    public static String run(Context ctx, String key, String line, Duration timeout) {
        List<String> argv = parse(line);
        Processes.Outcome o;
        try {
            o = ctx.processes().run(new Processes.Call(argv, ctx.env(), null, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DclientException.interrupted("Interrupted while running the command for the token of " + key + ".", e);
        }
        String cmd = "The command " + shown(line) + " for the token of " + key;
        switch (o.status()) {
            case NOT_FOUND -> throw fail(cmd + " cannot be run: " + Safe.line(argv.get(0), 100)
                    + " was not found on the PATH.", Reason.COMMAND_NOT_FOUND, key);
            case NOT_STARTED -> throw fail(cmd + " cannot be run: " + Safe.line(argv.get(0), 100)
                    + " could not be started.", Reason.COMMAND_NOT_FOUND, key);
            case TIMED_OUT -> throw fail(cmd + " did not finish within " + Durations.seconds(timeout)
                    + " and was stopped.", Reason.COMMAND_TIMED_OUT, key);
            case EXITED -> {
                if (o.exitCode() != 0) {
                    throw fail(cmd + " failed (exit status " + o.exitCode() + ").", Reason.COMMAND_FAILED, key);
                }
            }
        }
        String first = o.out().lines().findFirst().orElse("").strip();
        if (first.isEmpty()) throw fail(cmd + " printed no token.", Reason.COMMAND_EMPTY, key);
        ctx.revealed(first);
        if (!TokenResolver.wellFormed(first)) {
            throw fail(cmd + " printed a first line that contains spaces or control characters (or characters"
                    + " outside ASCII), so it cannot be sent as a token.", Reason.MALFORMED, key);
        }
        return first;
    }

    private static TokenUnavailable fail(String message, Reason reason, String key) {
        return new TokenUnavailable(message, reason, Operation.READ, TokenStorage.COMMAND, key);
    }
}
