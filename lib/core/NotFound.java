package io.datasette.dclient.core;

import java.util.List;

/**
 * A database, table or row the server does not have, with the facts each face words its advice
 * from: what is missing and by what name, on which instance, where the database name came from,
 * and the names that are there (the nearest one, or a short list). {@link #getMessage()} states
 * those facts in one line, in words every face shares; the command line states them with its
 * own word for a name the user gave ({@link #message(String)}) and adds the next step.
 */
public final class NotFound extends DclientException {
    /** What is missing. */
    public enum Thing { DATABASE, TABLE, ROW }

    /** Where the database name came from. */
    public enum Origin {
        /** Named by the caller: an argument or option of the command, a parameter of the call. */
        GIVEN,
        /** The instance's default database in config.json. */
        INSTANCE_DEFAULT,
        /** {@code DATASETTE_DATABASE}. */
        ENVIRONMENT
    }

    /** At most this many names are listed when none is near the missing one. */
    static final int LISTED = 8;

    private final Thing thing;
    private final String instance;
    private final String database;
    private final Origin origin;
    private final String table;
    private final String key;
    private final String near;
    private final List<String> there;
    private final String detail;
    private final String advice;

    private NotFound(Thing thing, String instance, String database, Origin origin, String table, String key,
            String near, List<String> there, String detail, String advice, Throwable cause) {
        super(null, Kind.NOT_FOUND, cause);
        this.thing = thing;
        this.instance = instance;
        this.database = database;
        this.origin = origin == null ? Origin.GIVEN : origin;
        this.table = table;
        this.key = key;
        this.near = near;
        this.there = there == null ? List.of() : List.copyOf(there);
        this.detail = detail == null || detail.isBlank() ? null : detail.strip();
        this.advice = advice;
    }

    /**
     * A missing database.
     *
     * @param instance the instance as the user names it (alias or URL), or null
     * @param near the nearest name there, or null
     * @param there the databases there (empty when unknown)
     * @param detail what else the failure means (what was not written...), or null
     */
    public static NotFound database(String instance, String database, Origin origin, String near, List<String> there,
            String detail, Throwable cause) {
        return new NotFound(Thing.DATABASE, instance, database, origin, null, null, near, there, detail, null, cause);
    }

    /** A missing table in {@code database} ({@code origin}: where the database name came from). */
    public static NotFound table(String instance, String database, Origin origin, String table, String near,
            List<String> there, String detail, Throwable cause) {
        return new NotFound(Thing.TABLE, instance, database, origin, table, null, near, there, detail, null, cause);
    }

    /** A missing row, by its primary key as the user gave it ({@code 42}, {@code (a, b)}). */
    public static NotFound row(String database, String table, String key, Throwable cause) {
        return new NotFound(Thing.ROW, null, database, Origin.GIVEN, table, key, null, null, null, null, cause);
    }

    /** The same facts with a sentence of advice after them, in the words of the face that shows it. */
    public NotFound withAdvice(String sentence) {
        return new NotFound(thing, instance, database, origin, table, key, near, there, detail, sentence, getCause());
    }

    public Thing thing() {
        return thing;
    }

    /** The instance as the user names it, or null when not known. */
    public String instance() {
        return instance;
    }

    public String database() {
        return database;
    }

    public Origin origin() {
        return origin;
    }

    /** The table, or null for a missing database. */
    public String table() {
        return table;
    }

    /** The row's primary key as given, or null unless a row is missing. */
    public String key() {
        return key;
    }

    /** The name nearest to the missing one, or null. */
    public String near() {
        return near;
    }

    /** The names that are there (databases, or the database's tables and views), empty when unknown. */
    public List<String> there() {
        return there;
    }

    /** What was missing, and where: {@code Table not found in fixtures on prod: dgos}. */
    public String what() {
        String on = instance == null ? "" : " on " + instance;
        return switch (thing) {
            case DATABASE -> "Database not found" + on + ": " + database;
            case TABLE -> "Table not found in " + database + on + ": " + table;
            case ROW -> "Row not found: " + database + "/" + table + " has no row with primary key " + key;
        };
    }

    /**
     * Where the database name came from, when it did not come from the caller:
     * {@code (prod's default database in config.json)}, {@code (main is from DATASETTE_DATABASE)};
     * empty for a name the caller gave.
     */
    public String originNote() {
        if (thing == Thing.ROW || origin == Origin.GIVEN) return "";
        String whose = instance == null ? "the instance's" : instance + "'s";
        String from = origin == Origin.INSTANCE_DEFAULT ? whose + " default database in config.json" : "from DATASETTE_DATABASE";
        if (thing == Thing.DATABASE) return "(" + from + ")";
        return "(" + database + " is " + from + ")";
    }

    /** {@code Did you mean dogs?}, else the few names there, else empty. */
    public String nearNote() {
        if (near != null) return "Did you mean " + near + "?";
        if (there.isEmpty() || there.size() > LISTED || thing == Thing.ROW) return "";
        return (thing == Thing.DATABASE ? "Databases" : "Tables") + " there: " + String.join(", ", there) + ".";
    }

    /**
     * The facts in one line, with {@code originNote} (in parentheses, or empty) saying where the
     * database name came from.
     */
    public String message(String originNote) {
        StringBuilder sb = new StringBuilder(what());
        if (originNote != null && !originNote.isEmpty()) sb.append(' ').append(originNote);
        sb.append('.');
        if (!nearNote().isEmpty()) sb.append(' ').append(nearNote());
        if (detail != null) sb.append(' ').append(detail);
        return sb.toString();
    }

    @Override
    public String getMessage() {
        String facts = message(originNote());
        return advice == null ? facts : facts + " " + advice;
    }
}
