package io.datasette.dclient.cli;

import java.util.List;

/** One command of {@code commands.yaml}: a group (with {@link #commands}) or a leaf with a handler. */
public record CommandDef(
        String name,
        String summary,
        String description,
        List<String> examples,
        String notes,
        String handler,
        List<OptionDef> options,
        List<ArgumentDef> arguments,
        List<CommandDef> commands,
        boolean hidden) {

    /** The option or argument keys this command accepts. */
    public boolean accepts(String key) {
        return options.stream().anyMatch(o -> o.key().equals(key))
                || arguments.stream().anyMatch(a -> a.key().equals(key));
    }

    public CommandDef child(String childName) {
        return commands.stream().filter(c -> c.name().equals(childName)).findFirst().orElse(null);
    }

    /** An option: a flag when {@code label} is null, otherwise it takes {@code arity} values per use. */
    public record OptionDef(
            List<String> names,
            String label,
            int arity,
            boolean repeatable,
            String type,
            String defaultValue,
            String help,
            String key,
            boolean hidden) {

        public boolean isFlag() {
            return label == null;
        }

        public String longestName() {
            return names.stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow();
        }
    }

    /** A positional argument. */
    public record ArgumentDef(String name, boolean required, String help, String key) {}
}
