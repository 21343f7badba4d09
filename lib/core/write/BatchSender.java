package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Collects rows into request bodies and POSTs them: a batch goes when it has
 * {@code batchSize} rows, when one more row would take the body past Datasette's 2 MiB
 * limit, or when {@link #flush()} is called (the interval timer, the end of the input).
 * Body = {@code prefix + row,row,... + suffix}, compact JSON; each row is serialized once.
 */
public final class BatchSender {
    /** Datasette's default max_post_body_bytes. */
    static final int MAX_BODY = 2 * 1024 * 1024;
    private static final ObjectWriter WRITER = Json.mapper().writer();

    private final DatasetteClient client;
    private final URI uri;
    private final byte[] prefix;
    private final byte[] suffix;
    private final int batchSize;
    private final int maxBody;
    private final Clock clock;
    private final LongConsumer onSent;
    private final Consumer<JsonNode> onAnswer;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingBytes;
    private long committed;
    private long batches;
    private long lastFlush;
    /** Rows in the batch being sent when a request failed, else 0. */
    private int failedBatch;

    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onSent) {
        this(client, path, prefix, suffix, batchSize, maxBody, clock, onSent, null);
    }

    /** As above; {@code onAnswer} (may be null) gets the server's answer to each batch that went through. */
    BatchSender(DatasetteClient client, String path, String prefix, String suffix, int batchSize, int maxBody,
            Clock clock, LongConsumer onSent, Consumer<JsonNode> onAnswer) {
        this.client = client;
        this.uri = client.uri(path);
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.suffix = suffix.getBytes(StandardCharsets.UTF_8);
        this.batchSize = batchSize;
        this.maxBody = maxBody;
        this.clock = clock;
        this.onSent = onSent;
        this.onAnswer = onAnswer;
        this.lastFlush = clock.millis();
    }

    public void add(ObjectNode row) {
        byte[] bytes;
        try {
            bytes = WRITER.writeValueAsBytes(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!pending.isEmpty() && prefix.length + suffix.length + pendingBytes + pending.size() + bytes.length > maxBody) {
            send();
        }
        pending.add(bytes);
        pendingBytes += bytes.length;
        if (pending.size() >= batchSize) send();
    }

    /** Sends what is pending (if anything) and restarts the interval. */
    public void flush() {
        if (!pending.isEmpty()) {
            send();
        } else {
            lastFlush = clock.millis();
        }
    }

    int pending() {
        return pending.size();
    }

    public long committed() {
        return committed;
    }

    long batches() {
        return batches;
    }

    public long lastFlush() {
        return lastFlush;
    }

    public int failedBatch() {
        return failedBatch;
    }

    private void send() {
        ByteArrayOutputStream body = new ByteArrayOutputStream(prefix.length + suffix.length + pendingBytes + pending.size());
        body.writeBytes(prefix);
        for (int i = 0; i < pending.size(); i++) {
            if (i > 0) body.write(',');
            body.writeBytes(pending.get(i));
        }
        body.writeBytes(suffix);
        int n = pending.size();
        failedBatch = n;
        Response r = client.send("POST", uri, "application/json", body.toByteArray());
        JsonNode answer = client.json(r);
        failedBatch = 0;
        committed += n;
        batches++;
        pending.clear();
        pendingBytes = 0;
        lastFlush = clock.millis();
        onSent.accept(committed);
        if (onAnswer != null) onAnswer.accept(answer);
    }
}
