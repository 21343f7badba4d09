package io.datasette.dclient.core;

/**
 * Which rung of the token resolution order supplied a token, in the user's document's order:
 * a token the caller gave explicitly, the token stored under the instance's alias, the one stored
 * under a URL prefix of its URL, {@code DATASETTE_TOKEN}; or none. Each face names the explicit
 * rung its own way (the command line's option, the library's builder method).
 */
public enum TokenOrigin {
    EXPLICIT, ALIAS, URL_PREFIX, ENV, NONE
}
