package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.datasette.dclient.core.json.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * Input formats for insert/upsert; when several flags are given the first in this order wins.
 * {@link #LINES} (each line is a row {@code {"line": ...}}) and {@link #TEXT} (the whole input
 * is one row {@code {"text": ...}}) are sqlite-utils' {@code --lines} and {@code --text}; they
 * are never detected, only asked for.
 */
public enum InputFormat {
    CSV, TSV, JSON, NL, LINES, TEXT;

    /**
     * Guesses the format from the first characters of the (decoded, BOM-less) input, or null
     * when there is nothing but white space. {@code [} or <code>{</code> first means JSON; the
     * JSON reader also takes several objects in a row, so newline-delimited JSON, even pretty
     * printed over many lines, is read correctly under this guess. Otherwise the first line
     * decides between TSV (more tabs than commas outside quotes) and CSV.
     */
    public static InputFormat detect(char[] buf, int len) {
        int i = 0;
        while (i < len && Character.isWhitespace(buf[i])) i++;
        if (i == len) return null;
        if (buf[i] == '[' || buf[i] == '{') return JSON;
        int tabs = 0;
        int commas = 0;
        boolean quoted = false;
        for (; i < len; i++) {
            char c = buf[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                if (c == '\n' || c == '\r') break;
                if (c == '\t') tabs++;
                if (c == ',') commas++;
            }
        }
        return tabs > commas ? TSV : CSV;
    }

    /**
     * As {@link #detect(char[], int)}, with two more hints, so that JSON that is not rows is
     * read as JSON (and its error says so) instead of as a CSV header without rows: a file named
     * {@code .json}, {@code .jsonl} or {@code .ndjson} is JSON, and so is an input that is one
     * JSON string, number, {@code true}, {@code false} or {@code null} and nothing else
     * ({@code whole}: {@code buf} holds all of the input), unless it is named {@code .csv} or
     * {@code .tsv}.
     */
    public static InputFormat detect(String name, char[] buf, int len, boolean whole) {
        InputFormat byContent = detect(buf, len);
        if (byContent == null || byContent == JSON) return byContent;
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return JSON;
        if (whole && !lower.endsWith(".csv") && !lower.endsWith(".tsv") && isJsonScalar(buf, len)) return JSON;
        return byContent;
    }

    /** The text is a single JSON scalar (string, number, true, false, null), white space around it allowed. */
    static boolean isJsonScalar(char[] buf, int len) {
        try (JsonParser p = Json.factory().createParser(buf, 0, len)) {
            JsonToken t = p.nextToken();
            return t != null && t.isScalarValue() && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean delimited() {
        return this == CSV || this == TSV;
    }
}
