package io.datasette.dclient.core.text;

import java.util.regex.Pattern;

/** Values put into the commands that messages suggest, so a user can paste them as they are. */
public final class Shell {
    /** Characters no POSIX shell treats specially, so such a word needs no quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Shell() {}

    /** {@code s} as one word of a POSIX shell command line: as is when safe, else single-quoted. */
    public static String quote(String s) {
        if (s != null && PLAIN.matcher(s).matches()) return s;
        return "'" + (s == null ? "" : s.replace("'", "'\\''")) + "'";
    }
}
