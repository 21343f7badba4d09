package io.datasette.dclient.core.write;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors in words for people, in one line: where (line and column), what was
 * expected and what was found, e.g. {@code Invalid JSON in rows.json at line 2, column 7:
 * expected a value (a string, number, object, array, true, false or null), found '}'}. Never
 * Jackson's internals (its feature names, "code 125", "[Source: REDACTED ...]").
 */
final class JsonErrors {
    private JsonErrors() {}

    private static final String VALUE = "a value (a string, number, object, array, true, false or null)";
    /** Jackson's "('}' (code 125))": the character found. */
    private static final String CHAR = "\\('(.+?)' \\(code \\d+\\)\\)";

    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character " + CHAR + ":? (.*)", Pattern.DOTALL);
    private static final Pattern IN_NUMBER = Pattern.compile("Unexpected character " + CHAR + " in numeric value: (.*)",
            Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*?)': .*", Pattern.DOTALL);
    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '(.*?)'.*", Pattern.DOTALL);
    private static final Pattern CLOSE_EXPECTED = Pattern.compile(
            "Unexpected close marker '(.)': expected '(.)' \\(for (Object|Array) starting at .*?line: (\\d+), column: (\\d+)\\]\\).*",
            Pattern.DOTALL);
    private static final Pattern CLOSE_NONE = Pattern.compile("Unexpected close marker '(.)': no open (Object|Array) to close.*",
            Pattern.DOTALL);
    private static final Pattern EOF_CLOSE = Pattern.compile("Unexpected end-of-input: expected close marker for (Object|Array).*",
            Pattern.DOTALL);
    private static final Pattern EOF_ENTRIES = Pattern.compile("Unexpected end-of-input within/between (Object|Array) entries.*",
            Pattern.DOTALL);
    private static final Pattern CONTROL = Pattern.compile("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*",
            Pattern.DOTALL);
    private static final Pattern ESCAPE = Pattern.compile("Unrecognized character escape '(.+?)' \\(code \\d+\\).*", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("Invalid numeric value: (.*)", Pattern.DOTALL);

    /**
     * The one-line message for a parse error in {@code name}; {@code fallback} is where the
     * parser was, for an error that carries no location.
     */
    static String describe(JsonProcessingException e, String name, JsonLocation fallback) {
        JsonLocation l = e.getLocation() != null ? e.getLocation() : fallback;
        String where = l == null ? "" : " at " + JsonRowReader.where(l);
        return "Invalid JSON in " + name + where + ": " + what(e.getOriginalMessage());
    }

    /** What went wrong, from Jackson's message. */
    static String what(String jackson) {
        if (jackson == null) return "it does not parse";
        String m = jackson.strip();
        Matcher x;
        if ((x = IN_NUMBER.matcher(m)).matches()) {
            return "invalid number: " + lower(cleanup(x.group(2))) + ", found " + shown(x.group(1));
        }
        if ((x = UNEXPECTED.matcher(m)).matches()) {
            String found = shown(x.group(1));
            String rest = x.group(2);
            if (rest.startsWith("was expecting double-quote to start field name")) {
                return "expected a field name in double quotes" + (x.group(1).equals("}") ? " after ','" : "")
                        + ", found " + found;
            }
            if (rest.startsWith("was expecting a colon")) return "expected ':' after the field name, found " + found;
            if (rest.startsWith("was expecting comma to separate Object")) {
                return "expected ',' or '}' after a value in an object, found " + found;
            }
            if (rest.startsWith("was expecting comma to separate Array")) {
                return "expected ',' or ']' after a value in an array, found " + found;
            }
            if (rest.startsWith("expected a valid value")) return "expected " + VALUE + ", found " + found;
            if (rest.startsWith("maybe a (non-standard) comment")) return "found " + found + ": JSON has no comments";
            if (rest.startsWith("expected a hex-digit")) {
                return "expected a hex digit in a \\u escape, found " + found;
            }
            return cleanup(rest) + ", found " + found;
        }
        if ((x = TOKEN.matcher(m)).matches()) return "expected " + VALUE + ", found '" + x.group(1) + "'";
        if ((x = NON_STANDARD.matcher(m)).matches()) {
            return "found " + x.group(1) + ", which JSON does not have (use null or a string)";
        }
        if ((x = CLOSE_EXPECTED.matcher(m)).matches()) {
            return "found '" + x.group(1) + "' where '" + x.group(2) + "' should close the " + lower(x.group(3))
                    + " that starts at line " + x.group(4) + ", column " + x.group(5);
        }
        if ((x = CLOSE_NONE.matcher(m)).matches()) {
            return "found '" + x.group(1) + "' with no " + lower(x.group(2)) + " open to close";
        }
        if ((x = EOF_CLOSE.matcher(m)).matches()) {
            boolean object = x.group(1).equals("Object");
            return "the input ends inside an " + (object ? "object (expected '}')" : "array (expected ']')");
        }
        if ((x = EOF_ENTRIES.matcher(m)).matches()) {
            boolean object = x.group(1).equals("Object");
            return "the input ends inside an " + (object ? "object (expected '}')" : "array (expected another value or ']')");
        }
        if (m.startsWith("Unexpected end-of-input: was expecting closing quote")) {
            return "the input ends inside a string (expected a closing '\"')";
        }
        if (m.startsWith("Unexpected end-of-input in field name")) {
            return "the input ends inside a field name (expected a closing '\"')";
        }
        if (m.startsWith("Unexpected end-of-input")) return "the input ends too early";
        if ((x = CONTROL.matcher(m)).matches()) {
            int code = Integer.parseInt(x.group(1));
            String c = switch (code) {
                case 10 -> "a line break";
                case 13 -> "a carriage return";
                case 9 -> "a tab";
                default -> String.format("the control character U+%04X", code);
            };
            String escaped = switch (code) {
                case 10 -> "\\n";
                case 13 -> "\\r";
                case 9 -> "\\t";
                default -> String.format("\\u%04x", code);
            };
            return "a string holds " + c + ", which JSON needs written as " + escaped;
        }
        if ((x = ESCAPE.matcher(m)).matches()) return "invalid escape '\\" + x.group(1) + "' in a string";
        if ((x = NUMBER.matcher(m)).matches()) return "invalid number: " + lower(cleanup(x.group(1)));
        return cleanup(m);
    }

    /**
     * The rest of a message without Jackson's internals: the "[Source: ...]" location (it is
     * said already), feature names in backquotes and the advice to enable them, "(code N)".
     */
    static String cleanup(String m) {
        String s = m;
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl);
        s = s.replaceAll("\\s*\\(?(for \\w+ )?(starting|start marker) at \\[Source:[^\\]]*\\]\\)?", "");
        s = s.replaceAll("\\s*\\[Source:[^\\]]*\\]", "");
        s = s.replaceAll(":?\\s*enable `[^`]*`( to allow)?", "");
        s = s.replaceAll(",?\\s*from `[^`]*`", "");
        s = s.replaceAll("`[^`]*`", "a parser setting");
        s = s.replaceAll("\\s*\\(code \\d+\\)", "");
        return s.strip();
    }

    private static String shown(String c) {
        return c.equals("'") ? "\"'\"" : "'" + c + "'";
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
