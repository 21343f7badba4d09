package io.datasette.dclient.cli.output;

import io.datasette.dclient.cli.Invocation;
import io.datasette.dclient.core.DclientException;

/** Output formats for rows; when several flags are given the first in this order wins. */
public enum Format {
    CSV, TSV, NL, TABLE, JSON;

    /** From the {@code --csv/--tsv/--nl/-t} flags ({@code --fmt} counts as {@code -t}); JSON when none is given. */
    public static Format from(Invocation inv) {
        if (inv.flag("csv")) return CSV;
        if (inv.flag("tsv")) return TSV;
        if (inv.flag("nl")) return NL;
        if (inv.flag("table") || inv.has("fmt")) return TABLE;
        return JSON;
    }

    /**
     * The table layout of {@code --fmt} ({@link TableStyle#SIMPLE} when not given); any other
     * value than {@link TableStyle#names()} is a usage error listing them.
     */
    public static TableStyle style(Invocation inv) {
        String fmt = inv.string("fmt");
        if (fmt == null) return TableStyle.SIMPLE;
        try {
            return TableStyle.parse(fmt);
        } catch (IllegalArgumentException e) {
            throw DclientException.usage("Invalid value for '--fmt': " + e.getMessage());
        }
    }
}
