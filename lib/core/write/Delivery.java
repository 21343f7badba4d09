package io.datasette.dclient.core.write;

import io.datasette.dclient.core.DclientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Whether a write request that failed without an answer can have reached the server whole. If
 * it cannot, the server cannot have written its batch ("not sent"); if it can, the batch may or
 * may not have been written, and saying "not sent" could make a user send it twice.
 *
 * <p>The fact belongs to the transport: only it knows whether the last byte of the request left
 * the client. Until it says so, a request counts as not sent only when it failed before a
 * connection existed (the host was not resolved, the connection was refused or timed out), and
 * every other network failure (a reset, a close without an answer, a timeout) as "may have
 * arrived": wrong in the safe direction only, for a failure while the body was still being
 * written. See {@link #mayHaveArrived}.
 */
final class Delivery {
    private Delivery() {}

    /**
     * True unless {@code failure} (what {@code DatasetteClient.send} threw, of kind NETWORK or
     * INTERRUPTED) shows that the request never reached the server whole.
     */
    static boolean mayHaveArrived(DclientException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (neverConnected(t)) return false;
            if (t.getCause() == t) break;
        }
        return true;
    }

    /** Failures before any byte could be sent: resolving the host, connecting. */
    private static boolean neverConnected(Throwable t) {
        return t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                || t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof HttpConnectTimeoutException;
    }
}
