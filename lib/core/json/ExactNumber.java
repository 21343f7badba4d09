package io.datasette.dclient.core.json;

import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;

/**
 * A number as the server wrote it: {@code 5e0}, {@code 1.5e1} and {@code -0.0} are written back
 * as that text, where a {@link BigDecimal} would give {@code 5}, {@code 15} and {@code 0.0}. It
 * is still a decimal to whoever reads it as a number, and {@link #doubleValue} keeps the sign of
 * a negative zero. ({@link JsonWriter} writes the text; Jackson's own serializer, which
 * {@code DecimalNode} makes final, would write the decimal.)
 */
final class ExactNumber extends DecimalNode {
    private final String text;

    ExactNumber(String text) {
        super(new BigDecimal(text));
        this.text = text;
    }

    @Override
    public String asText() {
        return text;
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
