package io.datasette.dclient.core.session;

import io.datasette.dclient.core.text.Safe;

/**
 * A resolved Datasette instance: its URL (no trailing slash), the alias it was reached by or
 * that maps to its URL (null when none), and where it came from (for messages).
 */
public record Instance(String url, String alias, From from) {
    /** Where the instance came from: named by the caller, the configured default, {@code DATASETTE_URL}. */
    public enum From { NAMED, DEFAULT, ENV }

    /** How to name the instance to the user: the alias when there is one, else the URL (its password masked). */
    public String label() {
        return alias != null ? alias : Safe.maskUrl(url);
    }
}
