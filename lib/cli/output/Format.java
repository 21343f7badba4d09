package io.datasette.dclient.cli.output;

import io.datasette.dclient.cli.Invocation;

/** Output formats for rows; when several flags are given the first in this order wins. */
public enum Format {
    CSV, TSV, NL, TABLE, JSON;

    /** From the {@code --csv/--tsv/--nl/-t} flags; JSON when none is given. */
    public static Format from(Invocation inv) {
        if (inv.flag("csv")) return CSV;
        if (inv.flag("tsv")) return TSV;
        if (inv.flag("nl")) return NL;
        if (inv.flag("table")) return TABLE;
        return JSON;
    }
}
