package io.datasette.dclient.cli;

import io.datasette.dclient.cli.CommandDef.ArgumentDef;
import io.datasette.dclient.cli.CommandDef.OptionDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders {@code --help} from the spec in the layout of Python dclient (click), so the two
 * clients' help reads the same. The width is fixed so output does not depend on the terminal.
 */
public final class HelpRenderer {
    static final int WIDTH = 78;
    private static final int MAX_FIRST_COLUMN = 30;

    private HelpRenderer() {}

    /** {@code path} is the full command path, e.g. {@code [dclient, auth, add]}. */
    public static String render(List<String> path, CommandDef def) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(String.join(" ", path)).append(" [OPTIONS]");
        if (!def.commands().isEmpty()) {
            sb.append(" COMMAND [ARGS]...");
        } else {
            for (ArgumentDef a : def.arguments()) {
                sb.append(' ').append(a.required() ? a.name() : "[" + a.name() + "]").append(a.repeatable() ? "..." : "");
            }
        }
        sb.append("\n\n");
        paragraphs(sb, def.summary());
        if (def.description() != null) paragraphs(sb, def.description());
        if (!def.examples().isEmpty()) {
            sb.append("  Example usage:\n\n");
            for (String e : def.examples()) sb.append("      ").append(e).append('\n');
            sb.append('\n');
        }
        if (def.notes() != null) paragraphs(sb, def.notes());

        List<String[]> rows = new ArrayList<>();
        for (OptionDef o : def.options()) {
            if (o.hidden()) continue;
            String sig = String.join(", ", o.names()) + (o.isFlag() ? "" : " " + o.label());
            rows.add(new String[] {sig, o.help()});
        }
        rows.add(new String[] {"--help", "Show this message and exit."});
        sb.append("Options:\n");
        definitionList(sb, rows);

        List<CommandDef> visible = def.commands().stream().filter(c -> !c.hidden())
                .sorted(Comparator.comparing(CommandDef::name)).toList();
        if (!visible.isEmpty()) {
            sb.append("\nCommands:\n");
            List<String[]> cmdRows = new ArrayList<>();
            for (CommandDef c : visible) cmdRows.add(new String[] {c.name(), c.summary()});
            definitionList(sb, cmdRows);
        }
        return sb.toString();
    }

    private static void paragraphs(StringBuilder sb, String text) {
        for (String para : text.split("\n\\s*\n")) {
            if (para.lines().anyMatch(l -> l.startsWith(" "))) {
                para.lines().forEach(l -> sb.append("  ").append(l).append('\n'));
            } else {
                for (String line : wrap(para.replace('\n', ' '), WIDTH - 2)) sb.append("  ").append(line).append('\n');
            }
            sb.append('\n');
        }
    }

    private static void definitionList(StringBuilder sb, List<String[]> rows) {
        int first = Math.min(rows.stream().mapToInt(r -> r[0].length()).max().orElse(0), MAX_FIRST_COLUMN) + 2;
        int textWidth = Math.max(WIDTH - first - 2, 10);
        for (String[] row : rows) {
            sb.append("  ").append(row[0]);
            List<String> lines = row[1] == null || row[1].isEmpty() ? List.of() : wrap(row[1], textWidth);
            if (lines.isEmpty()) {
                sb.append('\n');
                continue;
            }
            if (row[0].length() <= first - 2) {
                sb.append(" ".repeat(first - row[0].length()));
            } else {
                sb.append('\n').append(" ".repeat(first + 2));
            }
            sb.append(lines.get(0)).append('\n');
            for (String l : lines.subList(1, lines.size())) sb.append(" ".repeat(first + 2)).append(l).append('\n');
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) continue;
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) lines.add(line.toString());
        return lines;
    }
}
