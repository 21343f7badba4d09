package io.datasette.dclient.core.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Reads input rows one at a time, so no more than a row is ever held by the reader. */
interface RowReader {
    /** The next row, or null at the end of the input. */
    ObjectNode next() throws IOException;

    /** Where the reader is, for error messages, e.g. "line 12". */
    String position();

    /**
     * The characters of the input read up to the end of the last row returned (what the rows so
     * far came from, for the progress bar), or -1 when unknown.
     */
    default long offset() {
        return -1;
    }

    static RowReader of(Input input) {
        return switch (input.format) {
            case CSV -> new DelimitedReader(input.reader, ',');
            case TSV -> new DelimitedReader(input.reader, '\t');
            case JSON, NL -> new JsonRowReader(input.reader, input.name);
            case LINES -> new LineReader(input.reader);
            case TEXT -> new TextReader(input.reader, input.name);
        };
    }
}
