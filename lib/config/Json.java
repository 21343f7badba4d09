package io.datasette.dclient.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** The shared Jackson mapper and a pretty printer that lays JSON out the way Python's json.dumps does. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // keep 10.0 as 10.0 (the default normalizes it to 1E+1)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Compact single-line JSON with Python's {@code ", "} and {@code ": "} separators. */
    public static String line(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, -1, 0);
        return sb.toString();
    }

    /** Compact JSON with no spaces, for request bodies. */
    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Indented JSON ({@code indent} spaces), non-ASCII kept as is, empty containers as {@code {}}/{@code []}. */
    public static String pretty(JsonNode node, int indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, indent, 0);
        return sb.toString();
    }

    /**
     * JSON text with every character outside printable ASCII written as a {@code \\uXXXX} escape
     * (lower-case hex, surrogate pairs above U+FFFF), as Python's json.dumps does by default. Used
     * for the config files Python dclient also reads, whatever encoding its platform defaults to.
     */
    public static String asciiOnly(String json) {
        StringBuilder sb = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x7f) {
                if (sb == null) sb = new StringBuilder(json.length() + 16).append(json, 0, i);
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? json : sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, int indent, int depth) {
        if (node == null) {
            sb.append("null");
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                separator(sb, first, indent, depth + 1);
                first = false;
                scalar(sb, JsonNodeFactory.instance.textNode(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            close(sb, indent, depth);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (JsonNode item : node) {
                separator(sb, first, indent, depth + 1);
                first = false;
                write(sb, item, indent, depth + 1);
            }
            close(sb, indent, depth);
            sb.append(']');
        } else {
            scalar(sb, node);
        }
    }

    private static void separator(StringBuilder sb, boolean first, int indent, int depth) {
        if (indent < 0) {
            if (!first) sb.append(", ");
            return;
        }
        if (!first) sb.append(',');
        sb.append('\n').append(" ".repeat(indent * depth));
    }

    private static void close(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) sb.append('\n').append(" ".repeat(indent * depth));
    }

    private static void scalar(StringBuilder sb, JsonNode node) {
        // Fast paths (the same text Jackson writes): a per-cell writeValueAsString dominated rows --all.
        if (node.isTextual()) {
            String s = node.textValue();
            boolean plain = true;
            for (int i = 0; i < s.length() && plain; i++) {
                char c = s.charAt(i);
                plain = c >= 0x20 && c != '"' && c != '\\';
            }
            if (plain) {
                sb.append('"').append(s).append('"');
                return;
            }
        } else if (node.isNull()) {
            sb.append("null");
            return;
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue());
            return;
        } else if (node.isIntegralNumber()) {
            sb.append(node.isBigInteger() ? node.bigIntegerValue().toString() : Long.toString(node.longValue()));
            return;
        } else if (node.isBigDecimal()) {
            sb.append(node.decimalValue().toString());
            return;
        }
        try {
            sb.append(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
