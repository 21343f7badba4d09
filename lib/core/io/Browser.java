package io.datasette.dclient.core.io;

/** Opens a URL for the user; returns false when it could not. Never throws. */
@FunctionalInterface
public interface Browser {
    boolean open(String url);

    Browser NONE = url -> false;
}
