package io.datasette.dclient.core.http;

import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.text.Durations;
import io.datasette.dclient.core.text.Safe;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;

/**
 * The one place that words what went wrong on the way to a server and back: every
 * {@link Transport} failure becomes a one-line {@link DclientException} that says what happened
 * and what to try, never a Java exception's name, never a token.
 */
final class HttpFailures {
    /** A time limit ran out: waiting longer may help (each face says how). */
    private static final Advice WAIT = new Advice.WaitLonger();
    private final Duration timeout;
    private final Duration total;
    private final int factor;
    HttpFailures(Duration timeout, Duration total, int factor) {
        this.timeout = timeout;
        this.total = total;
        this.factor = factor;
    }

    /**
     * A failure before the head of the answer arrived. When the request had been sent whole,
     * the exception is a {@link RequestUnanswered}: the server may have acted on it.
     */
    DclientException request(IOException e, String method, URI uri) {
        if (e instanceof Transport.Unanswered u) {
            DclientException inner = request(u.getCause(), method, uri);
            if (inner.kind() == DclientException.Kind.INTERRUPTED) {
                return new RequestUnanswered(inner.getMessage(), inner.kind(), e, null);
            }
            String tail = method.equals("GET") ? "" : " The request had been sent, so it may or may not have taken effect.";
            String m = inner.getMessage();
            return new RequestUnanswered(m + (tail.isEmpty() || m.endsWith(".") || m.endsWith("?") ? "" : ".") + tail,
                    inner.kind(), e, inner.advice());
        }
        if (interrupted(e)) return new DclientException("Interrupted.", DclientException.Kind.INTERRUPTED, e);
        String origin = Safe.maskUrl(DatasetteClient.originOf(uri));
        if (e instanceof Transport.Timeout t) return timedOut(t.limit, uri, e);
        if (e instanceof Transport.TlsFailure t) return tls(t, uri);
        if (e instanceof Transport.ProxyRefused p) {
            String why = p.status == 407 ? "the proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port)"
                    : p.status < 0 ? "the proxy's answer was not HTTP"
                    : p.status == 0 ? Safe.line(p.getMessage(), 120) : "the proxy answered " + Safe.line(p.getMessage(), 80);
            String variable = "https".equalsIgnoreCase(uri.getScheme()) ? "HTTPS_PROXY" : "HTTP_PROXY";
            return new DclientException("Could not reach " + origin + " through the proxy (" + variable + "): " + why + ".",
                    DclientException.Kind.NETWORK, e);
        }
        if (e instanceof UnknownHostException) {
            return new DclientException("Could not resolve host " + Safe.clean(String.valueOf(Hosts.host(uri)))
                    + ". Check the instance URL, and your network or DNS.", DclientException.Kind.NETWORK, e);
        }
        if (e instanceof ConnectException) {
            return new DclientException("Could not connect to " + origin + " (connection refused). Is the server running?",
                    DclientException.Kind.NETWORK, e);
        }
        if (e instanceof NoRouteToHostException) {
            return new DclientException("Could not connect to " + origin + " (no route to host). Check the URL and your network.",
                    DclientException.Kind.NETWORK, e);
        }
        return new DclientException("Request to " + Safe.maskUrl(uri) + " failed: " + what(e), DclientException.Kind.NETWORK, e);
    }

    /** A failure while reading the body. */
    DclientException body(IOException e, URI uri) {
        if (interrupted(e)) return new DclientException("Interrupted.", DclientException.Kind.INTERRUPTED, e);
        if (e instanceof Transport.Timeout t) return timedOut(t.limit, uri, e);
        return new DclientException("Reading the response from " + Safe.maskUrl(uri) + " failed: " + what(e),
                DclientException.Kind.NETWORK, e);
    }

    /** A write answered with a redirect it must not follow: nothing was written. */
    static DclientException redirectedWrite(String method, int status, URI from, URI to) {
        String where = DatasetteClient.sameOrigin(from, to) ? Safe.maskUrl(to) : Safe.maskUrl(DatasetteClient.originOf(to));
        return new DclientException("The server answered the " + method + " to " + Safe.maskUrl(from) + " with a redirect"
                + " (HTTP " + status + ") to " + where + "; the write was not made, and dclient does not resend a write"
                + " elsewhere. If the instance has moved, use its new URL.", DclientException.Kind.SERVER);
    }

    private DclientException tls(Transport.TlsFailure t, URI uri) {
        String origin = Safe.maskUrl(DatasetteClient.originOf(uri));
        String host = Safe.clean(String.valueOf(Hosts.host(uri)));
        String lead = "Could not connect securely to " + origin + ": ";
        String msg = switch (t.reason) {
            case UNTRUSTED -> lead + "its certificate is not signed by a CA this machine trusts. If it is your"
                    + " organisation's CA, set SSL_CERT_FILE to its PEM file (or SSL_CERT_DIR to a directory of them).";
            case NAME_MISMATCH -> lead + "its certificate is for " + (t.names.isEmpty() ? "another name"
                    : Safe.line(String.join(", ", t.names), 200)) + ", not " + host + ". Use a URL with "
                    + (t.names.size() == 1 ? "that name" : "one of those names") + ".";
            case EXPIRED -> lead + "its certificate has expired or is not valid yet (" + Safe.line(t.getMessage(), 80)
                    + "). Its administrator must renew it; check this machine's clock too.";
            case HANDSHAKE -> lead + "the TLS handshake failed (" + handshake(t) + ").";
        };
        return new DclientException(msg + " Nothing was sent.", DclientException.Kind.NETWORK, t);
    }

    /** What a failed handshake means, in words. */
    private static String handshake(Transport.TlsFailure t) {
        String m = String.valueOf(t.getMessage());
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("unrecognized ssl message") || lower.contains("plaintext connection")) {
            return "the server does not speak TLS on this port; is it http://?";
        }
        if (t.getCause() instanceof EOFException || lower.contains("remote host terminated") || lower.contains("closed")) {
            return "the server closed the connection";
        }
        if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")) {
            return "the server and Java share no TLS version";
        }
        if (lower.contains("handshake_failure") || lower.contains("no cipher suites")) {
            return "the server and Java share no cipher suite";
        }
        return Safe.line(m, 120);
    }

    private DclientException timedOut(Transport.Timeout.Limit limit, URI uri, Throwable cause) {
        return switch (limit) {
            case CONNECT -> new DclientException("Timed out connecting to " + Safe.maskUrl(DatasetteClient.originOf(uri))
                    + ". Is the URL right and the server up?", DclientException.Kind.NETWORK, cause);
            case HEAD -> new DclientException("Timed out after " + Durations.seconds(timeout) + " waiting for "
                    + Safe.maskUrl(uri) + ". Is the server overloaded?", DclientException.Kind.NETWORK, cause, WAIT);
            case IDLE -> new DclientException("Timed out after " + Durations.seconds(timeout) + " without data from "
                    + Safe.maskUrl(uri) + " while reading its response.", DclientException.Kind.NETWORK, cause, WAIT);
            case TOTAL -> new DclientException("Timed out after " + Durations.seconds(total) + " reading the response from "
                    + Safe.maskUrl(uri) + " (a request may take " + factor + " times the timeout of "
                    + Durations.seconds(timeout) + ").", DclientException.Kind.NETWORK, cause, WAIT);
        };
    }

    private static boolean interrupted(Throwable e) {
        return e instanceof ClosedByInterruptException || e instanceof InterruptedIOException
                && !(e instanceof java.net.SocketTimeoutException) || Thread.currentThread().isInterrupted();
    }

    /** An exception's message for a person: its own words, else what its class means. */
    private static String what(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage();
        if (m != null && !m.isBlank()) return Safe.line(m);
        if (root instanceof EOFException) return "the server closed the connection";
        if (root instanceof java.nio.channels.ClosedChannelException) return "the connection was closed";
        return "the connection failed";
    }

    /**
     * A request sent whole that got no (complete) answer: unlike other network failures, the
     * server may have acted on it, so a write cannot be called "not sent".
     */
    public static final class RequestUnanswered extends DclientException {
        RequestUnanswered(String message, Kind kind, Throwable cause, Advice advice) {
            super(message, kind, cause, advice);
        }
    }
}
