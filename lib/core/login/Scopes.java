package io.datasette.dclient.core.login;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.config.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scopes {@code dclient login} asks for: {@code --scope JSON}, then {@code --read-all},
 * {@code --write-all}, each {@code --read}, each {@code --write} (the order Python dclient
 * builds them in). Entries are {@code [action]}, {@code [action, db]} or
 * {@code [action, db, table]}; a repeated entry is kept once, at its first position. An empty
 * list means an unrestricted token (no {@code scope} field is sent).
 */
public final class Scopes {
    public static final List<String> READ_ACTIONS =
            List.of("view-instance", "view-table", "view-database", "view-query", "execute-sql");
    public static final List<String> WRITE_ACTIONS =
            List.of("insert-row", "delete-row", "update-row", "create-table", "alter-table", "drop-table");
    /** Read plus write actions: what {@code --write} and {@code --write-all} grant. */
    public static final List<String> ALL_ACTIONS;

    static {
        List<String> all = new ArrayList<>(READ_ACTIONS);
        all.addAll(WRITE_ACTIONS);
        ALL_ACTIONS = List.copyOf(all);
    }

    private static final String SHAPE = "a JSON list of [action], [action, database] or [action, database, table]"
            + " lists, e.g. '[[\"view-instance\"], [\"view-table\", \"db1\", \"dogs\"]]'";

    private Scopes() {}

    /**
     * Builds the scope list from the login options, validating everything before any request.
     *
     * @param scopeJson the {@code --scope} value, or null
     * @param read each {@code --read DB[/TABLE]}
     * @param write each {@code --write DB[/TABLE]}
     */
    public static List<List<String>> expand(String scopeJson, boolean readAll, boolean writeAll, List<String> read,
            List<String> write) {
        Set<List<String>> out = new LinkedHashSet<>();
        if (scopeJson != null) out.addAll(parse(scopeJson));
        if (readAll) READ_ACTIONS.forEach(a -> out.add(List.of(a)));
        if (writeAll) ALL_ACTIONS.forEach(a -> out.add(List.of(a)));
        for (String t : read) out.addAll(target("A read scope", t, READ_ACTIONS));
        for (String t : write) out.addAll(target("A write scope", t, ALL_ACTIONS));
        return List.copyOf(out);
    }

    /** Parses and checks {@code --scope}: a list of lists of 1 to 3 non-empty strings. */
    static List<List<String>> parse(String json) {
        JsonNode node = null;
        try {
            if (!json.isBlank()) node = Json.parse(json);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || node.isMissingNode()) {
            throw new DclientException("The scope is not valid JSON: " + json + ". It must be " + SHAPE);
        }
        if (!node.isArray()) {
            throw new DclientException("The scope must be " + SHAPE + ", not " + Json.line(node));
        }
        List<List<String>> out = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isArray() || entry.isEmpty() || entry.size() > 3) {
                throw new DclientException("The scope entry " + Json.line(entry) + " must be a list of 1 to 3 strings"
                        + " ([action], [action, database] or [action, database, table])");
            }
            List<String> item = new ArrayList<>();
            for (JsonNode part : entry) {
                if (!part.isTextual() || part.asText().isEmpty()) {
                    throw new DclientException("The scope entry " + Json.line(entry)
                            + " must contain only non-empty strings");
                }
                item.add(part.asText());
            }
            out.add(List.copyOf(item));
        }
        return out;
    }

    /**
     * {@code db} gives {@code [action, db]}, {@code db/table} gives {@code [action, db, table]};
     * {@code what} names the value in an error ("A read scope").
     */
    static List<List<String>> target(String what, String value, List<String> actions) {
        int slash = value.indexOf('/');
        String db = slash < 0 ? value : value.substring(0, slash);
        String table = slash < 0 ? null : value.substring(slash + 1);
        if (db.isEmpty() || (table != null && table.isEmpty())) {
            throw new DclientException(what + " needs DATABASE or DATABASE/TABLE, not \"" + value + "\"");
        }
        List<List<String>> out = new ArrayList<>();
        for (String a : actions) out.add(table == null ? List.of(a, db) : List.of(a, db, table));
        return out;
    }

    /**
     * The databases a token with these scopes is limited to, in the order the scopes name them;
     * empty when the token is not limited to databases: an unrestricted login (no scopes) or one
     * with any instance-wide entry ({@code [action]}, e.g. from {@code --read-all} or
     * {@code --scope '[["view-instance"]]'}). A token limited to databases may not list the
     * instance ({@code /.json} needs {@code view-instance}), so after {@code login --read db}
     * these names, not the server's listing, say which databases it can be used with.
     */
    public static List<String> databasesOnly(List<List<String>> scopes) {
        Set<String> dbs = new LinkedHashSet<>();
        for (List<String> entry : scopes) {
            if (entry.size() < 2) return List.of();
            dbs.add(entry.get(1));
        }
        return List.copyOf(dbs);
    }

    /** The form value, formatted as Python's {@code json.dumps} does: {@code [["a"], ["b", "db"]]}. */
    public static String toJson(List<List<String>> scopes) {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        for (List<String> entry : scopes) {
            ArrayNode a = root.addArray();
            entry.forEach(a::add);
        }
        return Json.line(root);
    }
}
