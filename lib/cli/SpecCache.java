package io.datasette.dclient.cli;

import io.datasette.dclient.cli.CommandDef.ArgumentDef;
import io.datasette.dclient.cli.CommandDef.OptionDef;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary copy of the parsed, validated command spec. Parsing the YAML costs more than the
 * rest of a {@code --help} run on a cold JVM, so the launcher names a cache file per build
 * ({@code -Ddclient.specCache=...}); the file records a checksum of the YAML it came from and
 * is ignored when that does not match.
 */
final class SpecCache {
    private static final String MAGIC = "dclient-spec-2";

    private SpecCache() {}

    static CommandDef read(Path file, long checksum) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!in.readUTF().equals(MAGIC) || in.readLong() != checksum) return null;
            return command(in);
        } catch (IOException | RuntimeException e) {
            return null; // missing or unreadable: parse the YAML instead
        }
    }

    static void write(Path file, long checksum, CommandDef def) {
        Path tmp = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".spec", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeUTF(MAGIC);
                out.writeLong(checksum);
                command(out, def);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only costs start-up time
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void command(DataOutputStream out, CommandDef c) throws IOException {
        out.writeUTF(c.name());
        out.writeUTF(c.summary());
        text(out, c.description());
        strings(out, c.examples());
        text(out, c.notes());
        text(out, c.handler());
        out.writeInt(c.options().size());
        for (OptionDef o : c.options()) {
            strings(out, o.names());
            text(out, o.label());
            out.writeInt(o.arity());
            out.writeBoolean(o.repeatable());
            out.writeUTF(o.type());
            text(out, o.defaultValue());
            out.writeUTF(o.help());
            out.writeUTF(o.key());
            out.writeBoolean(o.hidden());
            strings(out, o.choices());
        }
        out.writeInt(c.arguments().size());
        for (ArgumentDef a : c.arguments()) {
            out.writeUTF(a.name());
            out.writeBoolean(a.required());
            text(out, a.help());
            out.writeUTF(a.key());
            out.writeBoolean(a.repeatable());
        }
        out.writeInt(c.commands().size());
        for (CommandDef child : c.commands()) command(out, child);
        out.writeBoolean(c.hidden());
    }

    private static CommandDef command(DataInputStream in) throws IOException {
        String name = in.readUTF();
        String summary = in.readUTF();
        String description = text(in);
        List<String> examples = strings(in);
        String notes = text(in);
        String handler = text(in);
        List<OptionDef> options = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            options.add(new OptionDef(strings(in), text(in), in.readInt(), in.readBoolean(), in.readUTF(), text(in),
                    in.readUTF(), in.readUTF(), in.readBoolean(), strings(in)));
        }
        List<ArgumentDef> arguments = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            arguments.add(new ArgumentDef(in.readUTF(), in.readBoolean(), text(in), in.readUTF(), in.readBoolean()));
        }
        List<CommandDef> commands = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) commands.add(command(in));
        return new CommandDef(name, summary, description, examples, notes, handler, List.copyOf(options),
                List.copyOf(arguments), List.copyOf(commands), in.readBoolean());
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) out.writeUTF(s);
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        List<String> list = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) list.add(in.readUTF());
        return List.copyOf(list);
    }
}
