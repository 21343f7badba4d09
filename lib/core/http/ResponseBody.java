package io.datasette.dclient.core.http;

import java.io.InputStream;

/**
 * A response body as the caller reads it, under the time limits of its request: the JDK
 * client's ({@link TimedBody}) or dclient's own HTTP/1.1 transport's ({@link Wire}). Reads throw
 * {@link TimedBody.Expired} when a limit runs out.
 */
abstract class ResponseBody extends InputStream {
    /** Bytes handed out so far. */
    abstract long count();

    /** Stops reading; what was not read is dropped with the connection. */
    @Override
    public abstract void close();
}
