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

    public Invocation(List<String> command, Map<String, Object> values) {
        this.command = List.copyOf(command);
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Invocation of(String command, Map<String, Object> values) {
        return new Invocation(List.of(command.split(" ")), values);
    }

    /** The command path without the program name, e.g. {@code [auth, status]}. */
    public List<String> command() {
        return command;
    }

    public Map<String, Object> values() {
        return values;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public String string(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    public Long integer(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        return v instanceof Number n ? n.longValue() : Long.valueOf(v.toString());
    }

    public Double decimal(String key) {
        Object v = values.get(key);
        if (v == null) return null;
        return v instanceof Number n ? n.doubleValue() : Double.valueOf(v.toString());
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return (List<String>) l;
        return List.of(v.toString());
    }

    @SuppressWarnings("unchecked")
    public List<List<String>> tuples(String key) {
        Object v = values.get(key);
        return v == null ? List.of() : (List<List<String>>) v;
    }

    /** A copy with one value replaced; handy in tests and for defaults filled in by handlers. */
    public Invocation with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Invocation(command, copy);
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>(values);
        shown.computeIfPresent("token", (k, v) -> "***");
        return "Invocation" + command + shown;
    }
}
