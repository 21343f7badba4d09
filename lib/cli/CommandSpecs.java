package io.datasette.dclient.cli;

import io.datasette.dclient.cli.CommandDef.ArgumentDef;
import io.datasette.dclient.cli.CommandDef.OptionDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads and validates {@code commands.yaml}. A bad spec is a developer error: it fails at load
 * with a {@link SpecException} naming the command and the problem, before any parsing happens.
 */
public final class CommandSpecs {
    public static final String RESOURCE = "commands.yaml";
    public static final String HANDLER_PACKAGE = "io.datasette.dclient.cli.commands.";

    private static final Set<String> COMMAND_KEYS = Set.of(
            "name", "summary", "description", "examples", "notes", "handler", "options", "arguments", "commands",
            "hidden");
    private static final Set<String> OPTION_KEYS = Set.of(
            "names", "label", "arity", "repeatable", "type", "default", "help", "key", "hidden", "choices");
    private static final Set<String> ARGUMENT_KEYS = Set.of("name", "required", "help", "key", "repeatable");
    private static final Set<String> TYPES = Set.of("string", "integer", "decimal");

    private CommandSpecs() {}

    /** Thrown for an invalid spec. */
    public static final class SpecException extends RuntimeException {
        public SpecException(String message) {
            super(message);
        }
    }

    /** Property naming the launcher's per-build cache of the parsed spec (see {@link SpecCache}). */
    public static final String CACHE_PROPERTY = "dclient.specCache";

    /** Loads the bundled spec, checking that every handler class exists. */
    public static CommandDef load() {
        ClassLoader loader = CommandSpecs.class.getClassLoader();
        byte[] yaml;
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new SpecException(RESOURCE + " is not on the class path");
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new SpecException("cannot read " + RESOURCE + ": " + e.getMessage());
        }
        String cacheFile = System.getProperty(CACHE_PROPERTY);
        if (cacheFile == null || cacheFile.isEmpty()) return parse(yaml);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(yaml);
        java.nio.file.Path cache = java.nio.file.Path.of(cacheFile);
        CommandDef cached = SpecCache.read(cache, crc.getValue());
        if (cached != null) return cached;
        CommandDef def = parse(yaml);
        SpecCache.write(cache, crc.getValue(), def);
        return def;
    }

    private static CommandDef parse(byte[] yaml) {
        return parse(new StringReader(new String(yaml, java.nio.charset.StandardCharsets.UTF_8)),
                CommandSpecs::handlerExists);
    }

    /** Parses a spec from text; {@code handlerExists} decides which handler ids are known. */
    public static CommandDef parse(String yaml, Predicate<String> handlerExists) {
        return parse(new StringReader(yaml), handlerExists);
    }

    static CommandDef parse(Reader reader, Predicate<String> handlerExists) {
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(1000); // the spec shares option definitions by alias
            options.setAllowDuplicateKeys(false); // a repeated key would silently replace the first
            doc = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                why = m.getProblem() + " (line " + (m.getProblemMark().getLine() + 1) + ")";
            }
            throw new SpecException(RESOURCE + " is not valid YAML: " + why);
        }
        if (!(doc instanceof Map<?, ?> top) || !(top.get("command") instanceof Map<?, ?> root)) {
            throw new SpecException(RESOURCE + ": expected a top-level 'command' mapping");
        }
        for (Object key : top.keySet()) {
            if (!Set.of("command", "definitions").contains(key)) {
                throw new SpecException(RESOURCE + ": unknown top-level key '" + key + "'");
            }
        }
        return command(root, "", handlerExists);
    }

    /** True when the handler class is on the class path; checks the resource so nothing is loaded. */
    public static boolean handlerExists(String id) {
        String resource = (HANDLER_PACKAGE + id).replace('.', '/') + ".class";
        return CommandSpecs.class.getClassLoader().getResource(resource) != null;
    }

    private static CommandDef command(Map<?, ?> m, String parentPath, Predicate<String> handlerExists) {
        String name = str(m, "name");
        String path = (parentPath + " " + (name == null ? "?" : name)).trim();
        String where = "command '" + path + "'";
        if (name == null || name.isBlank()) throw fail(where, "missing 'name'");
        checkKeys(m, COMMAND_KEYS, where);
        String summary = str(m, "summary");
        boolean isRoot = parentPath.isEmpty();
        if (summary == null || summary.isBlank()) throw fail(where, "missing help ('summary')");
        String handler = str(m, "handler");
        List<CommandDef> children = new ArrayList<>();
        Set<String> childNames = new HashSet<>();
        for (Map<?, ?> c : maps(m, "commands", where)) {
            CommandDef child = command(c, path, handlerExists);
            if (!childNames.add(child.name())) throw fail(where, "duplicate command '" + child.name() + "'");
            children.add(child);
        }
        if (handler == null && children.isEmpty()) throw fail(where, "has neither a handler nor subcommands");
        if (handler != null && !handlerExists.test(handler)) {
            throw fail(where, "unknown handler '" + handler + "' (no class " + HANDLER_PACKAGE + handler + ")");
        }
        List<OptionDef> options = new ArrayList<>();
        Set<String> names = new HashSet<>(Set.of("--help"));
        Set<String> keys = new HashSet<>();
        for (Map<?, ?> o : maps(m, "options", where)) {
            OptionDef opt = option(o, where);
            for (String n : opt.names()) {
                if (!names.add(n)) throw fail(where, "duplicate option '" + n + "'");
            }
            if (!keys.add(opt.key())) throw fail(where, "duplicate option key '" + opt.key() + "'");
            options.add(opt);
        }
        List<ArgumentDef> arguments = new ArrayList<>();
        boolean optionalSeen = false;
        boolean repeatableSeen = false;
        for (Map<?, ?> a : maps(m, "arguments", where)) {
            checkKeys(a, ARGUMENT_KEYS, where + " argument");
            String argName = str(a, "name");
            if (argName == null) throw fail(where, "argument without a name");
            if (repeatableSeen) throw fail(where, "argument " + argName + " after a repeatable one (only the last may repeat)");
            boolean repeatable = Boolean.TRUE.equals(a.get("repeatable"));
            repeatableSeen = repeatable;
            boolean required = !Boolean.FALSE.equals(a.get("required"));
            if (required && optionalSeen) throw fail(where, "required argument " + argName + " after an optional one");
            optionalSeen |= !required;
            String key = str(a, "key") != null ? str(a, "key") : argName.toLowerCase(java.util.Locale.ROOT);
            if (!keys.add(key)) throw fail(where, "duplicate key '" + key + "'");
            arguments.add(new ArgumentDef(argName, required, str(a, "help"), key, repeatable));
        }
        if (isRoot && handler == null && !arguments.isEmpty()) throw fail(where, "arguments need a handler");
        return new CommandDef(name, summary.strip(), strip(str(m, "description")), strings(m, "examples", where),
                strip(str(m, "notes")), handler, List.copyOf(options), List.copyOf(arguments), List.copyOf(children),
                Boolean.TRUE.equals(m.get("hidden")));
    }

    private static OptionDef option(Map<?, ?> o, String where) {
        List<String> names = strings(o, "names", where);
        String what = where + " option " + names;
        if (names.isEmpty()) throw fail(where, "option without 'names'");
        checkKeys(o, OPTION_KEYS, what);
        for (String n : names) {
            if (!n.matches("--?[A-Za-z][-A-Za-z0-9]*")) throw fail(what, "bad option name '" + n + "'");
        }
        if (!o.containsKey("help")) throw fail(what, "missing 'help'");
        String label = str(o, "label");
        int arity = o.get("arity") == null ? (label == null ? 0 : 1) : ((Number) o.get("arity")).intValue();
        if (label == null && arity != 0) throw fail(what, "'arity' needs a 'label'");
        if (label != null && arity < 1) throw fail(what, "an option with a label takes at least one value");
        String type = o.get("type") == null ? "string" : str(o, "type");
        if (!TYPES.contains(type)) throw fail(what, "unknown type '" + type + "'");
        if (label == null && o.get("type") != null) throw fail(what, "a flag has no type");
        if (o.get("default") != null) {
            String def = o.get("default").toString();
            try {
                if (type.equals("integer")) Long.parseLong(def);
                if (type.equals("decimal")) Double.parseDouble(def);
            } catch (NumberFormatException e) {
                throw fail(what, "default '" + def + "' is not " + (type.equals("integer") ? "an integer" : "a number"));
            }
        }
        String key = str(o, "key");
        if (key == null) {
            String longest = names.stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow();
            key = longest.replaceFirst("^-+", "");
        }
        String help = str(o, "help");
        List<String> choices = strings(o, "choices", what);
        if (o.containsKey("choices")) {
            if (label == null || arity != 1) throw fail(what, "'choices' need an option taking one value");
            if (choices.isEmpty()) throw fail(what, "'choices' is empty");
            if (!type.equals("string")) throw fail(what, "'choices' are for string options");
            if (choices.stream().anyMatch(c -> c.isEmpty() || c.chars().anyMatch(Character::isWhitespace))) {
                throw fail(what, "a choice is empty or has a space");
            }
            if (new HashSet<>(choices).size() != choices.size()) throw fail(what, "a choice is listed twice");
            if (o.get("default") != null && !choices.contains(o.get("default").toString())) {
                throw fail(what, "default '" + o.get("default") + "' is not one of the choices");
            }
        }
        return new OptionDef(List.copyOf(names), label, arity, Boolean.TRUE.equals(o.get("repeatable")), type,
                o.get("default") == null ? null : o.get("default").toString(), help == null ? "" : help.strip(), key,
                Boolean.TRUE.equals(o.get("hidden")), choices);
    }

    private static void checkKeys(Map<?, ?> m, Set<String> allowed, String where) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) throw fail(where, "unknown key '" + k + "'");
        }
    }

    private static List<Map<?, ?>> maps(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw fail(where, "'" + key + "' must be a list");
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) throw fail(where, "'" + key + "' entries must be mappings");
            out.add(map);
        }
        return out;
    }

    private static List<String> strings(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw fail(where, "'" + key + "' must be a list");
        return list.stream().map(String::valueOf).toList();
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static SpecException fail(String where, String problem) {
        return new SpecException(RESOURCE + ": " + where + ": " + problem);
    }
}
