package io.datasette.dclient.core.write;

import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.Transport;

/**
 * Whether a write request that failed without an answer can have reached the server whole. If
 * it cannot, the server cannot have written its batch ("not sent"); if it can, the batch may or
 * may not have been written, and saying "not sent" could make a user send it twice.
 *
 * <p>The fact belongs to the transport, which alone knows whether the last byte of the request
 * left the client: a request that left whole and got no (complete) answer fails with a
 * {@link Transport.Unanswered} in its causes (the {@link Transport} contract), anything else
 * (resolving, connecting, a TLS handshake, a proxy, a write cut short) never reached the server
 * whole.
 */
final class Delivery {
    private Delivery() {}

    /** Whether {@code failure} (what {@code DatasetteClient.send} threw) may have reached the server whole. */
    static boolean mayHaveArrived(DclientException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Transport.Unanswered) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
