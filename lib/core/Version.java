package io.datasette.dclient.core;

/** The release version, printed by {@code dclient --version}. */
public final class Version {
    public static final String VALUE = "0.1.0";

    private Version() {}
}
