package io.datasette.dclient.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line handed to a handler: typed values by key, {@code null} when an option
 * or argument was not given (so "not given" and "given the default" stay distinguishable where it
 * matters, e.g. {@code --token}). Immutable.
 *
 * <p>Value shapes: flags are {@link Boolean}; single values are String/Long/Double; repeatable
 * options are lists; options taking several values per use ({@code -f COL OP VALUE}) are lists of
 * lists of strings.
 */
public final class Invocation {
    private final List<String> command;
    private final Map<String, Object> values;
    private final boolean strict;
    private final CommandDef spec;

    /**
     * The dispatcher's invocation: {@code values} holds every key that commands.yaml defines for
     * the command (null when not given), and reading any other key is a programming error that
     * names the command and the key, so a handler and the spec cannot drift apart unnoticed.
     */
    public Invocation(List<String> command, Map<String, Object> values) {
        this(command, values, true, null);
    }

    /** As above, with the whole command spec it was parsed against (for completion and suggestions). */
    public Invocation(List<String> command, Map<String, Object> values, CommandDef spec) {
        this(command, values, true, spec);
    }

    private Invocation(List<String> command, Map<String, Object> values, boolean strict, CommandDef spec) {
        this.command = List.copyOf(command);
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.strict = strict;
        this.spec = spec;
    }

    /** A lenient invocation for tests that call a handler directly: unknown keys read as absent. */
    public static Invocation of(String command, Map<String, Object> values) {
        return new Invocation(List.of(command.split(" ")), values, false, null);
    }

    /** The root of the command spec this was parsed against (loaded when built by hand). */
    public CommandDef spec() {
        return spec != null ? spec : CommandSpecs.load();
    }

    private Object get(String key) {
        if (strict && !values.containsKey(key)) {
            throw new IllegalStateException("the handler of 'dclient " + String.join(" ", command) + "' read '" + key
                    + "', which commands.yaml does not define for it");
        }
        return values.get(key);
    }

    /** The command path without the program name, e.g. {@code [auth, status]}. */
    public List<String> command() {
        return command;
    }

    public Map<String, Object> values() {
        return values;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    public String string(String key) {
        Object v = get(key);
        return v == null ? null : v.toString();
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(get(key));
    }

    public Long integer(String key) {
        Object v = get(key);
        if (v == null) return null;
        return v instanceof Number n ? n.longValue() : Long.valueOf(v.toString());
    }

    public Double decimal(String key) {
        Object v = get(key);
        if (v == null) return null;
        return v instanceof Number n ? n.doubleValue() : Double.valueOf(v.toString());
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return (List<String>) l;
        return List.of(v.toString());
    }

    @SuppressWarnings("unchecked")
    public List<List<String>> tuples(String key) {
        Object v = get(key);
        return v == null ? List.of() : (List<List<String>>) v;
    }

    /** A copy with one value replaced; handy in tests and for defaults filled in by handlers. */
    public Invocation with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Invocation(command, copy, strict, spec);
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>(values);
        shown.computeIfPresent("token", (k, v) -> "***");
        return "Invocation" + command + shown;
    }
}
