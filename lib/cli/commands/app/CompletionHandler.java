package io.datasette.dclient.cli.commands.app;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.cli.Completion;
import io.datasette.dclient.cli.Handler;
import io.datasette.dclient.cli.Invocation;
import java.util.Locale;

/** {@code completion bash|zsh}: prints the completion script (see {@link Completion}). */
public final class CompletionHandler implements Handler {
    @Override
    public int run(Invocation inv, Context ctx) {
        String shell = inv.string("shell");
        String script = switch (shell == null ? "" : shell.toLowerCase(Locale.ROOT)) {
            case "bash" -> Completion.bash(inv.spec());
            case "zsh" -> Completion.zsh(inv.spec());
            default -> throw DclientException.usage("Unsupported shell: " + shell + ". Use bash or zsh.");
        };
        ctx.out().print(script);
        ctx.out().flush();
        return 0;
    }
}
