package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.datasette.dclient.core.json.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Tilde;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One insert or upsert, as both the {@code insert}/{@code upsert} commands and the Java API
 * ({@code Datasette.insert/upsert}) send it: the path ({@code /DB/TABLE/-/insert|upsert}, or
 * {@code /DB/-/create} when the table is to be created) and the body, in Python dclient's key
 * order: {@code table} (create only), {@code rows}, {@code replace}, {@code ignore},
 * {@code alter}, {@code return}, {@code pk}/{@code pks} (create only). Rows go out through
 * {@link BatchSender}: at most the batch size per request, and never a body over Datasette's
 * 2 MiB limit. Configure with the fluent setters, then send it with a {@link WriteJob}.
 */
public final class WriteRequest {
    private final String database;
    private final String table;
    private final boolean upsert;
    private boolean replace;
    private boolean ignore;
    private boolean alter;
    private boolean returning;
    private boolean create;
    private List<String> pks = List.of();

    private WriteRequest(String database, String table, boolean upsert) {
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
        this.upsert = upsert;
    }

    /** An insert into {@code database/table} ({@code /DB/TABLE/-/insert}). */
    public static WriteRequest insert(String database, String table) {
        return new WriteRequest(database, table, false);
    }

    /** An upsert into {@code database/table} ({@code /DB/TABLE/-/upsert}); takes neither replace, ignore nor create. */
    public static WriteRequest upsert(String database, String table) {
        return new WriteRequest(database, table, true);
    }

    /** Sends {@code "replace": true} (insert only). */
    public WriteRequest replace(boolean on) {
        this.replace = on;
        return check();
    }

    /** Sends {@code "ignore": true} (insert only). */
    public WriteRequest ignore(boolean on) {
        this.ignore = on;
        return check();
    }

    /** Sends {@code "alter": true}. */
    public WriteRequest alter(boolean on) {
        this.alter = on;
        return this;
    }

    /** Sends {@code "return": true}: the server answers with the rows it wrote. */
    public WriteRequest returning(boolean on) {
        this.returning = on;
        return this;
    }

    /**
     * Posts to {@code /DB/-/create} with {@code "table"} (insert only), and the primary key
     * columns as {@code "pk"} (one) or {@code "pks"} (several); the keys are only sent with create.
     */
    public WriteRequest create(boolean on, List<String> primaryKeys) {
        this.create = on;
        this.pks = List.copyOf(primaryKeys);
        return check();
    }

    private WriteRequest check() {
        if (upsert && (replace || ignore || create)) {
            throw new IllegalArgumentException("upsert takes neither replace, ignore nor create");
        }
        if (replace && ignore) throw new IllegalArgumentException("replace and ignore cannot be combined");
        return this;
    }

    String path() {
        return create
                ? "/" + Tilde.encode(database) + "/-/create"
                : "/" + Tilde.encode(database) + "/" + Tilde.encode(table) + "/-/" + (upsert ? "upsert" : "insert");
    }

    /** The body up to the first row: {@code {"table":...,"rows":[}. */
    String prefix() {
        StringBuilder prefix = new StringBuilder("{");
        if (create) prefix.append("\"table\":").append(Json.compact(TextNode.valueOf(table))).append(',');
        return prefix.append("\"rows\":[").toString();
    }

    /** The body after the last row: {@code ],"replace":true,...}}. */
    String suffix() {
        StringBuilder suffix = new StringBuilder("]");
        if (replace) suffix.append(",\"replace\":true");
        if (ignore) suffix.append(",\"ignore\":true");
        if (alter) suffix.append(",\"alter\":true");
        if (returning) suffix.append(",\"return\":true");
        if (create && pks.size() == 1) {
            suffix.append(",\"pk\":").append(Json.compact(TextNode.valueOf(pks.get(0))));
        } else if (create && pks.size() > 1) {
            var arr = Json.mapper().createArrayNode();
            pks.forEach(arr::add);
            suffix.append(",\"pks\":").append(Json.compact(arr));
        }
        return suffix.append('}').toString();
    }

    /** What the rows become, for messages: "inserted" or "upserted". */
    String done() {
        return upsert ? "upserted" : "inserted";
    }

    String database() {
        return database;
    }

    String table() {
        return table;
    }

    /**
     * What the batches after the first become once {@code /DB/-/create} has made the table: the
     * same rows and flags to {@code /DB/TABLE/-/insert}, which the server answers with less work
     * (Python dclient sends every batch to create; the rows stored are the same). Null unless
     * this request creates.
     */
    WriteRequest afterCreate() {
        if (!create) return null;
        WriteRequest next = insert(database, table);
        next.replace = replace;
        next.ignore = ignore;
        next.alter = alter;
        next.returning = returning;
        return next;
    }

    /** A batcher for this request; {@code onAnswer} (may be null) gets each successful answer. */
    BatchSender sender(DatasetteClient client, int batchSize, Clock clock, WriteJob.CommitListener onCommitted,
            Consumer<JsonNode> onAnswer) {
        BatchSender sender = new BatchSender(client, path(), prefix(), suffix(), batchSize, BatchSender.MAX_BODY, clock,
                onCommitted, onAnswer);
        WriteRequest next = afterCreate();
        if (next != null) sender.thenSendTo(next.path(), next.prefix(), next.suffix());
        return sender;
    }
}
