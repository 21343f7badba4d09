package io.datasette.dclient.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.config.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A buffered HTTP response. */
public record Response(int status, String contentType, byte[] body, URI uri) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or null when it is not JSON. */
    public JsonNode jsonOrNull() {
        try {
            return body.length == 0 ? null : Json.parse(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
