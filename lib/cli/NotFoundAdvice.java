package io.datasette.dclient.cli;

import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.text.Shell;
import java.util.List;

/**
 * A {@link NotFound} as the command line says it: the core's facts, where a database name typed
 * on the command line came from ({@code -d} or an argument), and on a second line the next step
 * as options and commands to run (none when the first line already names what is there).
 */
final class NotFoundAdvice {
    private NotFoundAdvice() {}

    /** One line of facts, and a line of advice when there is a next step to name. */
    static String text(NotFound nf, Invocation inv) {
        String facts = nf.message(origin(nf, inv));
        String next = next(nf, inv);
        return next.isEmpty() ? facts : facts + "\n" + next;
    }

    /**
     * Where the database name came from: as the core says it for a default, {@code (given with -d)}
     * for an override of one, nothing for an argument (it is right there on the command line, and
     * the library, whose callers pass it the same way, says nothing either).
     */
    static String origin(NotFound nf, Invocation inv) {
        if (nf.origin() != NotFound.Origin.GIVEN) return nf.originNote();
        return nf.thing() == NotFound.Thing.DATABASE && fromDashD(nf, inv) ? "(given with -d)" : "";
    }

    static String next(NotFound nf, Invocation inv) {
        boolean shown = !nf.nearNote().isEmpty();
        String i = nf.instance() == null ? "" : " -i " + Shell.quote(nf.instance());
        return switch (nf.thing()) {
            case DATABASE -> {
                String list = "dclient databases" + i;
                yield switch (nf.origin()) {
                    case INSTANCE_DEFAULT -> "Use -d DATABASE, or change the default: dclient default database "
                            + Shell.quote(nf.instance()) + " DATABASE" + (shown ? "" : " (list them: " + list + ")");
                    case ENVIRONMENT -> "Use -d DATABASE, or set DATASETTE_DATABASE to another database"
                            + (shown ? "" : " (list them: " + list + ")");
                    case GIVEN -> shown ? "" : "List the databases: " + list;
                };
            }
            case TABLE -> {
                List<String> command = inv.command();
                boolean insert = command.equals(List.of("insert"));
                if (insert && !Boolean.TRUE.equals(inv.values().get("create"))) {
                    yield "To create it from the rows, add --create (and --pk COLUMN to choose its primary key).";
                }
                if (command.equals(List.of("upsert"))) {
                    Object file = inv.values().get("filepath");
                    yield "upsert writes to an existing table; to create it from the rows: dclient insert "
                            + Shell.quote(nf.database()) + " " + Shell.quote(nf.table()) + " "
                            + (file == null ? "FILE" : Shell.quote(file.toString())) + " --create" + i;
                }
                yield shown ? "" : "List the tables: dclient tables -d " + Shell.quote(nf.database()) + i;
            }
            case ROW -> "";
        };
    }

    /** Whether the database name is this command's {@code -d} value (else it was an argument). */
    private static boolean fromDashD(NotFound nf, Invocation inv) {
        CommandDef def = inv.spec();
        for (String name : inv.command()) {
            def = def == null ? null : def.child(name);
        }
        boolean hasDashD = def != null && def.options().stream().anyMatch(o -> o.key().equals("database"));
        return hasDashD && nf.database().equals(inv.values().get("database"));
    }
}
