package io.datasette.dclient.core.write;

/** Input formats for insert/upsert; when several flags are given the first in this order wins. */
public enum InputFormat {
    CSV, TSV, JSON, NL;

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

    public boolean delimited() {
        return this == CSV || this == TSV;
    }
}
