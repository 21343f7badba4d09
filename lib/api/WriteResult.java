package io.datasette.dclient.api;

import java.util.List;
import java.util.Map;

/**
 * What an {@link Datasette#insert} or {@link Datasette#upsert} did.
 *
 * <pre>{@code WriteResult r = ds.insert("fixtures", "pets", rows); r.rowCount();}</pre>
 *
 * <p>A failed batch throws {@link io.datasette.dclient.core.DclientException} instead: its
 * message is the server's, then a line saying how many rows were written before the failure
 * (the batches before it stay written; nothing after it is sent).
 *
 * @param rowCount rows sent (and accepted: a failed batch throws instead)
 * @param requests write requests made
 * @param rows the rows the server sent back: with {@link WriteOptions#returning()}, else
 *     usually empty
 */
public record WriteResult(long rowCount, int requests, List<Map<String, Object>> rows) {
    /** Keeps an unmodifiable copy of the rows. <pre>{@code new WriteResult(0, 0, List.of())}</pre> */
    public WriteResult {
        rows = List.copyOf(rows);
    }
}
