package io.datasette.dclient.core.session;

/**
 * A resolved Datasette instance: its URL (no trailing slash), the alias it was reached by or
 * that maps to its URL (null when none), and where it came from (for messages).
 */
public record Instance(String url, String alias, String source) {
    /** How to name the instance to the user: the alias when there is one, else the URL. */
    public String label() {
        return alias != null ? alias : url;
    }
}
