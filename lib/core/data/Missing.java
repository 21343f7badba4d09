package io.datasette.dclient.core.data;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.NotFound;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.text.Suggest;
import java.util.List;

/**
 * Turns the server's bare "not found" (Datasette answers {@code Database not found} or
 * {@code Table not found}, HTTP 404, without a name) into a {@link NotFound} that names the
 * database or table the request was about, where the database name came from, and what is
 * there instead. The names there are asked for only now that something is missing (one more
 * request); when the server will not list them, the failure is named without them.
 */
public final class Missing {
    private Missing() {}

    /**
     * What a request was about.
     *
     * @param database the database named in the request
     * @param origin where that name came from
     * @param table the table, or null when the request was about the database only
     */
    public record Target(String database, NotFound.Origin origin, String table) {
        public static Target database(String database, NotFound.Origin origin) {
            return new Target(database, origin, null);
        }

        public static Target table(String database, NotFound.Origin origin, String table) {
            return new Target(database, origin, table);
        }
    }

    /**
     * {@code failure} explained when it is the server saying the database or table of
     * {@code target} does not exist; any other failure (a missing row is already a
     * {@link NotFound}) is returned as it is.
     */
    public static DclientException explain(DclientException failure, DatasetteClient client, Target target) {
        if (failure instanceof NotFound || failure.kind() != DclientException.Kind.NOT_FOUND || target == null
                || target.database() == null) {
            return failure;
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        int end = message.indexOf('\n');
        String first = end < 0 ? message : message.substring(0, end);
        String detail = end < 0 ? null : message.substring(end + 1).replace('\n', ' ');
        // A 404 without Datasette's words (its HTML page for /DB/-/create, say) is a missing
        // database only when the instance's list says so.
        boolean unnamed = !first.startsWith("Database not found") && !first.startsWith("Table not found");
        if (first.startsWith("Database not found") || unnamed) {
            List<String> there = quietly(() -> Catalog.databaseNames(client, Catalog.Listing.VISIBLE));
            if (there.contains(target.database()) || unnamed && there.isEmpty()) return failure;
            return NotFound.database(client.label(), target.database(), target.origin(),
                    nearest(target.database(), there), there, detail, failure);
        }
        if (first.startsWith("Table not found") && target.table() != null) {
            List<String> there = quietly(() -> Catalog.names(
                    Catalog.tables(client, target.database(), true, true, true).all()));
            // a view or hidden table by that name: it is there, only not for this (a write, say)
            if (there.contains(target.table())) return failure;
            return NotFound.table(client.label(), target.database(), target.origin(), target.table(),
                    nearest(target.table(), there), there, detail, failure);
        }
        return failure;
    }

    /** The name in {@code there} nearest to {@code name} (a typo or a different case away), or null. */
    static String nearest(String name, List<String> there) {
        return Suggest.closest(name, there, Math.max(2, name.length() / 3));
    }

    private static List<String> quietly(java.util.function.Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (DclientException e) {
            if (e.kind() == DclientException.Kind.INTERRUPTED) throw e;
            return List.of(); // the listing is refused or missing too: name the failure without it
        }
    }
}
