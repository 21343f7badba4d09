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
            boolean hidden,
            List<String> choices) {

        /** {@code choices}: the values shell completion offers (empty when any value goes). */
        public OptionDef {
            choices = choices == null ? List.of() : List.copyOf(choices);
        }

        /** An option without {@code choices}. */
        public OptionDef(List<String> names, String label, int arity, boolean repeatable, String type,
                String defaultValue, String help, String key, boolean hidden) {
            this(names, label, arity, repeatable, type, defaultValue, help, key, hidden, List.of());
        }

        public boolean isFlag() {
            return label == null;
        }

        public String longestName() {
            return names.stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow();
        }
    }

    /**
     * A positional argument; a {@code repeatable} one (only ever the last) takes every remaining
     * value, as a list ({@code PK...}).
     */
    public record ArgumentDef(String name, boolean required, String help, String key, boolean repeatable) {
        /** A single-valued argument. */
        public ArgumentDef(String name, boolean required, String help, String key) {
            this(name, required, help, key, false);
        }
    }
}
