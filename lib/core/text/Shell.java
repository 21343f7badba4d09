package io.datasette.dclient.core.text;

import java.util.ArrayList;
import java.util.List;
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

    /** Characters a shell would act on, but that a command run without one would take literally. */
    private static final String SHELL_SYNTAX = "$`|&;<>()";

    /**
     * Splits a command line into words as a POSIX shell splits simple quoting: white space
     * separates words; {@code '...'} keeps everything literally; {@code "..."} keeps everything
     * but {@code \"}, {@code \\}, {@code \$} and {@code \`}; a backslash outside quotes keeps
     * the next character. Nothing is expanded: shell syntax outside quotes (a variable, a pipe,
     * {@code ~}) is refused with the reason rather than run wrongly, and inside double quotes it
     * is kept as it is, so {@code sh -c "echo $TOKEN"} hands {@code echo $TOKEN} to {@code sh}.
     *
     * @throws IllegalArgumentException saying what is wrong (an open quote, no words), a
     *     {@link ShellSyntax} for shell syntax
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line == null ? 0 : line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("a single quote (') is not closed");
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(i + 1) != '\n') word.append(line.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    word.append(d);
                    i++;
                }
                if (!closed) throw new IllegalArgumentException("a double quote (\") is not closed");
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new IllegalArgumentException("it ends with a backslash");
                if (line.charAt(i + 1) != '\n') word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                if (SHELL_SYNTAX.indexOf(c) >= 0 || (c == '~' && !inWord)) throw shellSyntax(c);
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException("it is empty");
        return words;
    }

    private static IllegalArgumentException shellSyntax(char c) {
        return new ShellSyntax("it uses shell syntax (" + c + "), but it is run without a shell");
    }

    /** {@link #split} met a character only a shell would act on (quoting it, or running a shell, would do). */
    public static final class ShellSyntax extends IllegalArgumentException {
        ShellSyntax(String message) {
            super(message);
        }
    }
}
