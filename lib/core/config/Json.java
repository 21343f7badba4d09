package io.datasette.dclient.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON for dclient: a tree parser and writers that lay JSON out the way Python's json.dumps
 * does. Parsing and writing use Jackson's streaming layer directly; the {@link #mapper()} is
 * only built when something needs data binding, because creating it costs more than a whole
 * {@code dclient alias list} otherwise takes.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final int LINE = -1;
    private static final int COMPACT = -2;

    private Json() {}

    private static final class MapperHolder {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // keep 10.0 as 10.0 (the default normalizes it to 1E+1)
                .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The shared data-binding mapper (floats as exact decimals, trailing tokens rejected). */
    public static ObjectMapper mapper() {
        return MapperHolder.MAPPER;
    }

    /** The streaming factory, for readers and writers that handle large inputs piecewise. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses one JSON value; floats become exact decimals; trailing content is an error. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parseWhole(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(byte[] utf8) throws java.io.IOException {
        try (JsonParser p = FACTORY.createParser(utf8)) {
            return parseWhole(p);
        }
    }

    private static JsonNode parseWhole(JsonParser p) throws java.io.IOException {
        JsonToken first = p.nextToken();
        if (first == null) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        JsonNode node = value(p, first);
        if (p.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected content after the JSON value");
        }
        return node;
    }

    /** Reads the value starting at {@code token} into a tree. */
    public static JsonNode value(JsonParser p, JsonToken token) throws java.io.IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode obj = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    obj.set(name, value(p, p.nextToken()));
                }
                return obj;
            }
            case START_ARRAY: {
                com.fasterxml.jackson.databind.node.ArrayNode arr = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) arr.add(value(p, t));
                return arr;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "Unexpected token " + token);
        }
    }

    /** Compact single-line JSON with Python's {@code ", "} and {@code ": "} separators. */
    public static String line(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, LINE, 0);
        return sb.toString();
    }

    /** Compact JSON with no spaces, for request bodies. */
    public static String compact(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, COMPACT, 0);
        return sb.toString();
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
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                separator(sb, first, indent, depth + 1);
                first = false;
                quote(sb, e.getKey());
                sb.append(indent == COMPACT ? ":" : ": ");
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
            if (!first) sb.append(indent == COMPACT ? "," : ", ");
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
        if (node.isTextual()) {
            quote(sb, node.textValue());
        } else if (node.isNumber()) {
            sb.append(node.asText());
        } else {
            quote(sb, node.asText());
        }
    }

    /** A JSON string literal, escaped as Jackson escapes it. */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04X", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
