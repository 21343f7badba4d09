package io.datasette.dclient.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON to plain Java values and back: maps keep column order, integers stay exact, floats are Doubles. */
final class Values {
    private Values() {}

    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isObject()) return toMap(n);
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode item : n) list.add(toJava(item));
            return Collections.unmodifiableList(list);
        }
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) {
            if (n.canConvertToInt()) return n.intValue();
            if (n.canConvertToLong()) return n.longValue();
            return n.bigIntegerValue();
        }
        if (n.isNumber()) return n.doubleValue();
        return n.asText();
    }

    /** A JSON object as an insertion-ordered, unmodifiable map. */
    static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) map.put(e.getKey(), toJava(e.getValue()));
        return Collections.unmodifiableMap(map);
    }

    /** The objects of a JSON array (a response's {@code rows}); fails when it is not an array of objects. */
    static List<Map<String, Object>> rows(JsonNode array, String what) {
        if (array == null || !array.isArray()) {
            throw new DclientException("Unexpected response for " + what + ": no \"rows\" list");
        }
        List<Map<String, Object>> out = new ArrayList<>(array.size());
        for (JsonNode row : array) {
            if (!row.isObject()) throw new DclientException("Unexpected response for " + what + ": a row is not an object");
            out.add(toMap(row));
        }
        return out;
    }

    static JsonNode toJson(Object value) {
        try {
            return Json.mapper().valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new DclientException("Cannot send " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** A value as it goes into a query string: JSON for collections, text otherwise. */
    static String queryValue(Object value) {
        if (value == null) return "";
        if (value instanceof Iterable<?> || value instanceof Map<?, ?> || value.getClass().isArray()) {
            return Json.compact(toJson(value));
        }
        return value.toString();
    }
}
