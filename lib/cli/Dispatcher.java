package io.datasette.dclient.cli;

import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Stdout;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.Errors;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.Secrets;
import io.datasette.dclient.core.auth.AuthStore;
import io.datasette.dclient.core.Version;

import io.datasette.dclient.cli.CommandDef.ArgumentDef;
import io.datasette.dclient.cli.CommandDef.OptionDef;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns the command spec into a picocli command tree, parses the arguments, builds the
 * {@link Invocation} and runs the named handler. Parse errors and every failure a handler throws
 * become one {@code Error: ...} line here, with the exit code {@link ExitCodes} gives its kind.
 */
public final class Dispatcher {
    private final CommandDef root;
    private final Function<String, Handler> handlers;

    public Dispatcher(CommandDef root) {
        this(root, Dispatcher::instantiate);
    }

    /** {@code handlers} maps a handler id from the spec to an instance (tests pass fakes). */
    public Dispatcher(CommandDef root, Function<String, Handler> handlers) {
        this.root = root;
        this.handlers = handlers;
    }

    /** Builds the whole picocli tree; used for shell completion. */
    public CommandLine commandLine() {
        return configure(new CommandLine(spec(root, null)));
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setOverwrittenOptionsAllowed(true);
        cl.setUnmatchedOptionsArePositionalParams(false);
        return cl;
    }

    /**
     * Runs one command line. Whatever it printed is flushed, and a failed write to stdout is
     * one more error ({@link #outputFailed}), whatever the command returned.
     */
    public int run(String[] givenArgs, Context ctx) {
        int code = dispatch(givenArgs, ctx);
        return outputFailed(ctx, code);
    }

    private int dispatch(String[] givenArgs, Context ctx) {
        String[] args = datasettePaths(givenArgs);
        ParseResult pr;
        try {
            // Building picocli's model of all ~30 commands costs more than the rest of a --help run,
            // so only the commands the arguments name are built. Any parse error is reproduced on the
            // whole tree, so messages and suggestions are the same as with the full model.
            try {
                pr = configure(new CommandLine(spec(root, route(root, args)))).parseArgs(args);
            } catch (ParameterException lazyFailure) {
                pr = commandLine().parseArgs(args);
            }
        } catch (ParameterException e) {
            List<String> path = pathOf(e.getCommandLine().getCommandSpec());
            List<String> secrets = knownSecrets(ctx, null);
            secrets.addAll(tokenArguments(givenArgs));
            ctx.err().println("Error: " + Errors.printable(Secrets.mask(usageMessage(e), secrets)));
            ctx.err().println("Try '" + String.join(" ", path) + " --help' for help.");
            return ExitCodes.USAGE;
        }
        List<ParseResult> chain = new ArrayList<>();
        for (ParseResult p = pr; p != null; p = p.subcommand()) chain.add(p);
        ParseResult leaf = chain.get(chain.size() - 1);
        CommandDef def = (CommandDef) leaf.commandSpec().userObject();
        List<String> path = pathOf(leaf.commandSpec());

        for (ParseResult p : chain) {
            if (p.isUsageHelpRequested()) {
                CommandDef helpDef = (CommandDef) p.commandSpec().userObject();
                ctx.out().print(HelpRenderer.render(pathOf(p.commandSpec()), helpDef));
                ctx.out().flush();
                return 0;
            }
        }
        if (chain.size() == 1 && pr.hasMatchedOption("--version")) {
            ctx.out().println(root.name() + ", version " + Version.VALUE);
            ctx.out().flush();
            return 0;
        }
        boolean nothingGiven = chain.size() == 1 && pr.originalArgs().isEmpty();
        if (def.handler() == null || nothingGiven) {
            ctx.out().print(HelpRenderer.render(path, def));
            ctx.out().flush();
            return 0;
        }

        String misplaced = misplacedOption(chain, def);
        if (misplaced != null) {
            ctx.err().println("Error: " + misplaced + " does not apply to '" + String.join(" ", path) + "'");
            ctx.err().println("Try '" + String.join(" ", path) + " --help' for help.");
            return ExitCodes.USAGE;
        }
        Invocation inv = invocation(chain, path);
        // -v shows HTTP requests, never a stack trace; --debug (or DCLIENT_DEBUG=1) adds one
        boolean debug = Boolean.TRUE.equals(inv.values().get("debug")) || debugFromEnvironment(ctx);
        try {
            Handler handler = handlers.apply(def.handler());
            return handler.run(inv, ctx);
        } catch (Exception | Error e) {
            if (fromOutput(ctx, e)) return ExitCodes.OK; // said once, by outputFailed
            return failed(ctx, inv, def, e, debug);
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }

    private static int failed(Context ctx, Invocation inv, CommandDef def, Throwable e, boolean debug) {
        if (e instanceof DclientException d) {
            error(ctx, inv, d, "", debug);
            return ExitCodes.of(d.kind());
        }
        if (e instanceof InterruptedException i) {
            Thread.currentThread().interrupt();
            error(ctx, inv, DclientException.interrupted("Interrupted.", i), "", debug);
            return ExitCodes.INTERRUPTED;
        }
        // point at --debug only where the command has it (and it was not already given)
        boolean canDebug = def.options().stream().anyMatch(o -> o.key().equals("debug"));
        error(ctx, inv, e, canDebug && !debug ? " (run with --debug for details)" : "", debug);
        return ExitCodes.ERROR;
    }

    /**
     * After the command: a write to stdout that failed is an error, {@code Error: Could not
     * write the output: No space left on device}, saying how many rows got out whole when a row
     * writer counted them. A closed pipe is the reader leaving ({@code | head}): not a word.
     */
    static int outputFailed(Context ctx, int code) {
        ctx.out().flush();
        Stdout.Failure f = ctx.outputFailure();
        if (f == null || f.closedPipe()) return code;
        String rows = !f.countsRows() ? ""
                : f.rows() == 0 ? " No rows were written."
                : f.rows() == 1 ? " Only the first row was written completely."
                : " The first " + f.rows() + " rows were written completely.";
        ctx.err().println("Error: Could not write the output: " + Errors.printable(f.reason()) + "." + rows);
        ctx.err().flush();
        return code != ExitCodes.OK ? code : ExitCodes.ERROR;
    }

    /** Whether {@code e} is the failed write to stdout (or caused by it), which {@link #outputFailed} reports. */
    private static boolean fromOutput(Context ctx, Throwable e) {
        Stdout.Failure f = ctx.outputFailure();
        if (f == null) return false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t == f.cause()) return true;
        }
        return false;
    }

    /** picocli's message, except an unknown word after a group ({@code dclient alias frob}) is a command. */
    private static String usageMessage(ParameterException e) {
        CommandDef def = (CommandDef) e.getCommandLine().getCommandSpec().userObject();
        if (e instanceof CommandLine.UnmatchedArgumentException u && def.arguments().isEmpty()
                && !def.commands().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            String word = u.getUnmatched().get(0);
            List<String> near = u.getSuggestions().stream().filter(s -> def.child(s) != null).toList();
            return "No such command: '" + word + "'."
                    + (near.isEmpty() ? "" : " Did you mean '" + near.get(0) + "'?");
        }
        return e.getMessage();
    }

    /**
     * The one place a failure reaches the user: {@code Error: } and {@link Errors#describe}'s text
     * (masked: known tokens, anything token- or credential-shaped), on a fresh line after
     * whatever stdout had. With {@code debug}, the (masked) stack trace follows.
     */
    private static void error(Context ctx, Invocation inv, Throwable e, String hint, boolean debug) {
        ctx.out().flush();
        List<String> secrets = knownSecrets(ctx, inv);
        String text = e instanceof NotFound nf && inv != null
                ? Errors.printable(Secrets.mask(NotFoundAdvice.text(nf, inv), secrets))
                : Errors.describe(e, secrets, CommandLineAdvice.WORDS);
        ctx.err().println("Error: " + text + hint);
        if (debug) {
            ctx.err().println("Stack trace (--debug; it may show private data, check before sharing it):");
            ctx.err().print(Errors.stackTrace(e, secrets));
        }
    }

    /** The message of an exception we did not anticipate, as {@link #error} prints it (no secrets). */
    static String describe(Throwable e) {
        return Errors.describe(e);
    }

    /** {@code DCLIENT_DEBUG} set to anything but 0, false or no. */
    static boolean debugFromEnvironment(Context ctx) {
        String v = ctx.env("DCLIENT_DEBUG");
        return v != null && !v.strip().equals("0") && !v.strip().equalsIgnoreCase("false") && !v.strip().equalsIgnoreCase("no");
    }

    /**
     * The token values this run may have used, to mask wherever they appear: {@code --token},
     * {@code DATASETTE_TOKEN}, everything in auth.json (read only now that there is an error) and
     * what the keyring or a credential command gave in this run.
     */
    static List<String> knownSecrets(Context ctx, Invocation inv) {
        List<String> out = new ArrayList<>();
        Object flag = inv == null ? null : inv.values().get("token");
        if (flag != null) out.add(flag.toString());
        if (ctx.env("DATASETTE_TOKEN") != null) out.add(ctx.env("DATASETTE_TOKEN"));
        try {
            out.addAll(new AuthStore(ctx.configDir()).load().values());
        } catch (RuntimeException unreadable) {
            // a broken auth.json cannot have supplied a token either
        }
        out.addAll(ctx.revealedSecrets()); // read from the keyring or a credential command in this run
        return out;
    }

    /**
     * An option given before the subcommand name that the subcommand has no use for
     * ({@code dclient -d main databases}); silently dropping it would mislead. Null when none.
     */
    private static String misplacedOption(List<ParseResult> chain, CommandDef leaf) {
        for (ParseResult p : chain.subList(0, chain.size() - 1)) {
            CommandDef d = (CommandDef) p.commandSpec().userObject();
            for (OptionDef o : d.options()) {
                boolean used = leaf.options().stream().anyMatch(l -> l.key().equals(o.key()));
                if (p.hasMatchedOption(o.longestName()) && !used) {
                    return "Option '" + String.join("/", o.names()) + "'";
                }
            }
        }
        return null;
    }

    /** The values given to {@code --token} in a command line picocli could not parse. */
    static List<String> tokenArguments(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) out.add(args[i + 1]);
            else if (args[i].startsWith("--token=")) out.add(args[i].substring("--token=".length()));
        }
        return out;
    }

    /**
     * {@code -/versions.json} is a Datasette path ({@code /-/versions.json} without its slash),
     * never an option: no option name starts with {@code -/}. Given with its slash, so picocli
     * does not take it for an unknown option.
     */
    static String[] datasettePaths(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("--")) break;
            if (out[i].startsWith("-/")) out[i] = "/" + out[i];
        }
        return out;
    }

    private Invocation invocation(List<ParseResult> chain, List<String> path) {
        ParseResult leaf = chain.get(chain.size() - 1);
        CommandDef def = (CommandDef) leaf.commandSpec().userObject();
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionDef o : def.options()) {
            Object value = null;
            // Options given before the subcommand name (dclient -i prod tables) count for it too.
            for (int i = chain.size() - 1; i >= 0 && value == null; i--) {
                ParseResult p = chain.get(i);
                CommandDef d = (CommandDef) p.commandSpec().userObject();
                for (OptionDef candidate : d.options()) {
                    if (candidate.key().equals(o.key()) && p.hasMatchedOption(candidate.longestName())) {
                        value = valueOf(candidate, p.matchedOption(candidate.longestName()).getValue());
                    }
                }
            }
            if (value == null && o.defaultValue() != null) value = convert(o.type(), o.defaultValue());
            values.put(o.key(), value);
        }
        List<ArgumentDef> args = def.arguments();
        for (int i = 0; i < args.size(); i++) {
            PositionalParamSpec p = leaf.commandSpec().positionalParameters().get(i);
            Object v = leaf.hasMatchedPositional(i) ? p.getValue() : null;
            if (v instanceof List<?> l) v = List.copyOf(l);
            values.put(args.get(i).key(), v);
        }
        return new Invocation(path.subList(1, path.size()), values, root);
    }

    private static Object valueOf(OptionDef o, Object raw) {
        if (o.isFlag()) return Boolean.TRUE;
        if (o.arity() > 1 && raw instanceof List<?> flat) {
            List<List<String>> tuples = new ArrayList<>();
            for (int i = 0; i + o.arity() <= flat.size(); i += o.arity()) {
                List<String> t = new ArrayList<>();
                for (int j = 0; j < o.arity(); j++) t.add(String.valueOf(flat.get(i + j)));
                tuples.add(List.copyOf(t));
            }
            return List.copyOf(tuples);
        }
        if (raw instanceof List<?> l) return List.copyOf(l);
        return raw;
    }

    private static Object convert(String type, String text) {
        return switch (type) {
            case "integer" -> Long.valueOf(text);
            case "decimal" -> Double.valueOf(text);
            default -> text;
        };
    }

    /** Parses integer/decimal values with a message in the user's terms ("not a valid integer", not "long"). */
    private static CommandLine.ITypeConverter<Object> number(String type) {
        return text -> {
            try {
                return convert(type, text.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + text + "' is not a valid " + (type.equals("integer") ? "integer" : "number"));
            }
        };
    }

    private static Class<?> javaType(String type) {
        return switch (type) {
            case "integer" -> Long.class;
            case "decimal" -> Double.class;
            default -> String.class;
        };
    }

    /**
     * The commands named by {@code args}, root first: the first positional word at each level that
     * is a subcommand name selects it, skipping option values by each option's arity.
     */
    static List<CommandDef> route(CommandDef root, String[] args) {
        List<CommandDef> path = new ArrayList<>(List.of(root));
        CommandDef current = root;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) break;
            if (a.startsWith("-") && a.length() > 1) {
                i += valuesFollowing(current, a);
                continue;
            }
            CommandDef child = current.child(a);
            if (child == null) break;
            path.add(child);
            current = child;
        }
        return path;
    }

    /** How many of the following arguments are values of option word {@code a}. */
    private static int valuesFollowing(CommandDef def, String a) {
        if (a.contains("=")) return 0;
        for (OptionDef o : def.options()) {
            if (o.names().contains(a)) return o.arity();
        }
        if (!a.startsWith("--")) { // clustered short options: -vi prod
            for (int c = 1; c < a.length(); c++) {
                for (OptionDef o : def.options()) {
                    if (o.names().contains("-" + a.charAt(c)) && o.arity() > 0) {
                        return c == a.length() - 1 ? o.arity() : o.arity() - 1;
                    }
                }
            }
        }
        return 0;
    }

    /** The picocli model of {@code def}; with a route, only the subcommand on it is included. */
    private static CommandSpec spec(CommandDef def, List<CommandDef> route) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(def);
        spec.name(def.name());
        spec.usageMessage().hidden(def.hidden());
        // Help is rendered from the spec by HelpRenderer; picocli only parses.
        spec.addOption(OptionSpec.builder("--help").usageHelp(true).arity("0").build());
        for (OptionDef o : def.options()) {
            // hidden: picocli's own usage is unused, but shell completion leaves hidden options out.
            OptionSpec.Builder b = OptionSpec.builder(o.names().toArray(String[]::new)).description(o.help())
                    .hidden(o.hidden());
            if (o.isFlag()) {
                b.arity("0").type(Boolean.class);
            } else if (o.repeatable() || o.arity() > 1) {
                b.arity(String.valueOf(o.arity())).type(List.class).auxiliaryTypes(javaType(o.type()))
                        .paramLabel(o.label());
            } else {
                b.arity("1").type(javaType(o.type())).paramLabel(o.label());
            }
            if (!o.isFlag() && !o.type().equals("string")) b.converters(number(o.type()));
            if (!o.choices().isEmpty()) b.completionCandidates(o.choices()); // offered by shell completion
            spec.addOption(b.build());
        }
        int index = 0;
        for (ArgumentDef a : def.arguments()) {
            if (a.repeatable()) { // the last argument: every remaining value, as a list
                spec.addPositional(PositionalParamSpec.builder().index(index++ + "..*")
                        .arity(a.required() ? "1..*" : "0..*").required(a.required()).paramLabel(a.name())
                        .type(List.class).auxiliaryTypes(String.class).build());
                continue;
            }
            spec.addPositional(PositionalParamSpec.builder().index(String.valueOf(index++))
                    .arity(a.required() ? "1" : "0..1").required(a.required()).paramLabel(a.name()).type(String.class)
                    .build());
        }
        for (CommandDef child : def.commands()) {
            if (route == null || route.stream().anyMatch(r -> r == child)) {
                spec.addSubcommand(child.name(), new CommandLine(spec(child, route)));
            }
        }
        return spec;
    }

    private static List<String> pathOf(CommandSpec spec) {
        List<String> path = new ArrayList<>();
        for (CommandSpec s = spec; s != null; s = s.parent()) path.add(0, s.name());
        return path;
    }

    private static Handler instantiate(String id) {
        try {
            Class<?> type = Class.forName(CommandSpecs.HANDLER_PACKAGE + id);
            return (Handler) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("no usable handler class for '" + id + "': " + e, e);
        }
    }
}
