package io.datasette.dclient.core.login;

import io.datasette.dclient.core.text.Safe;
import com.fasterxml.jackson.databind.JsonNode;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.auth.TokenResolver;
import io.datasette.dclient.core.io.Sleeper;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Query;
import io.datasette.dclient.core.http.Response;
import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the OAuth 2.0 device flow (RFC 8628) against datasette-oauth:
 * {@code POST /-/oauth/device} for a code, then {@code POST /-/oauth/token} until the user has
 * approved or denied it, or it expired. Time is injected ({@link Clock}, {@link Sleeper}) so
 * the polling can be tested without waiting.
 *
 * <p>Polling: wait {@code interval} seconds (5 when absent, clamped to 1..60) before every poll;
 * {@code authorization_pending} keeps going; {@code slow_down} adds 5 seconds for this and every
 * later poll; network failures (and 502/503/504 answers) are retried with a doubling wait, up to
 * 60 seconds; nothing is polled after {@code expires_in}; any other answer stops.
 */
public final class DeviceFlow {
    public static final String DEVICE_PATH = "/-/oauth/device";
    public static final String TOKEN_PATH = "/-/oauth/token";
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(60);
    public static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EXPIRES_IN = Duration.ofSeconds(900);
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(1);

    /** What the device endpoint answered. The device code stays in memory only. */
    public record DeviceCode(String deviceCode, String userCode, String verificationUri,
            String verificationUriComplete, Duration expiresIn, Duration interval) {
        /** The approval page with the code filled in ({@code verification_uri?code=USER_CODE}). */
        public String prefilledLink() {
            if (verificationUriComplete != null) return verificationUriComplete;
            return verificationUri + (verificationUri.contains("?") ? "&" : "?") + "code=" + Query.encode(userCode);
        }

        @Override
        public String toString() {
            return "DeviceCode[userCode=" + userCode + ", verificationUri=" + verificationUri + "]";
        }
    }

    /** The issued token; {@code expiresIn} is null when the server did not say. */
    public record Grant(String accessToken, Duration expiresIn) {
        @Override
        public String toString() {
            return "Grant[accessToken=***, expiresIn=" + expiresIn + "]";
        }
    }

    /** Why polling stopped without a token. */
    public enum Reason { DENIED, EXPIRED, INVALID_GRANT, UNEXPECTED }

    /** Polling ended without a token; {@code detail} is the server's error or the last network error. */
    public static final class Failure extends Exception {
        private final Reason reason;
        private final String detail;

        Failure(Reason reason, String detail) {
            super(reason + (detail == null ? "" : ": " + detail));
            this.reason = reason;
            this.detail = detail;
        }

        public Reason reason() {
            return reason;
        }

        public String detail() {
            return detail;
        }
    }

    /** Progress callbacks while waiting; all optional. */
    public interface Listener {
        /** A poll got an answer (pending or otherwise). */
        default void polled() {}

        /** The server asked to slow down; the new wait between polls. */
        default void slowedDown(Duration interval) {}

        /** A poll failed on the network; it is retried after {@code retryIn}. */
        default void networkError(String message, Duration retryIn) {}
    }

    private final DatasetteClient client;
    private final Clock clock;
    private final Sleeper sleeper;

    public DeviceFlow(DatasetteClient client, Clock clock, Sleeper sleeper) {
        this.client = client;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Asks for a device code; {@code scopes} empty means unrestricted (no {@code scope} field). */
    public DeviceCode start(List<List<String>> scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        if (!scopes.isEmpty()) form.put("scope", Scopes.toJson(scopes));
        Response r = client.postForm(DEVICE_PATH, form);
        String where = Safe.maskUrl(client.baseUrl()) + DEVICE_PATH;
        JsonNode body = r.jsonOrNull();
        String error = body != null && body.isObject() ? text(body, "error") : null;
        String needPlugin = " The instance needs the datasette-oauth plugin with enable_device_flow: true;"
                + " ask its administrator.";
        Advice storeToken = new Advice.StoreToken(client.label());
        if (!r.ok()) {
            if (r.status() == 403 && error != null && error.toLowerCase().contains("not enabled")) {
                throw new DclientException("Device flow is not enabled on " + Safe.maskUrl(client.baseUrl()) + "." + needPlugin,
                        DclientException.Kind.FAILED, storeToken);
            }
            if (r.status() == 404) {
                throw new DclientException(Safe.maskUrl(client.baseUrl()) + " does not offer OAuth device login (HTTP 404 from "
                        + DEVICE_PATH + ")." + needPlugin, DclientException.Kind.FAILED, storeToken);
            }
            if (r.status() == 400 && error != null && error.toLowerCase().contains("scope")) {
                throw new DclientException(Safe.maskUrl(client.baseUrl()) + " rejected the requested scope (" + error + ")."
                        + " Each scope entry is [action], [action, database] or [action, database, table].");
            }
            throw new DclientException("Could not start the login at " + where + ": "
                    + (error != null ? error + " (HTTP " + r.status() + ")" : "HTTP " + r.status())
                    + ". Is this a Datasette instance with the datasette-oauth plugin?");
        }
        String deviceCode = body == null ? null : text(body, "device_code");
        String userCode = body == null ? null : text(body, "user_code");
        String uri = body == null ? null : text(body, "verification_uri");
        if (deviceCode == null || userCode == null || uri == null) {
            throw new DclientException("Unexpected answer from " + where + " (no device_code, user_code or"
                    + " verification_uri). Is the datasette-oauth plugin installed there?");
        }
        return new DeviceCode(deviceCode, userCode, uri, text(body, "verification_uri_complete"),
                expiresIn(body.get("expires_in")), interval(body.get("interval")));
    }

    /**
     * Polls until the user approves (returns the token), denies, or the code expires.
     *
     * @throws InterruptedException when the wait is interrupted (Ctrl-C)
     */
    public Grant await(DeviceCode code, Listener listener) throws InterruptedException, Failure {
        Instant deadline = clock.instant().plus(code.expiresIn());
        Duration interval = code.interval();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("device_code", code.deviceCode());
        int failures = 0;
        String lastNetworkError = null;
        while (true) {
            Duration wait = failures == 0 ? interval : backoff(interval, failures);
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isZero() || remaining.isNegative()) throw new Failure(Reason.EXPIRED, lastNetworkError);
            sleeper.sleep(wait.compareTo(remaining) < 0 ? wait : remaining);
            if (!clock.instant().isBefore(deadline)) throw new Failure(Reason.EXPIRED, lastNetworkError);

            Response r;
            try {
                r = client.postForm(TOKEN_PATH, form);
            } catch (DclientException e) {
                if (e.kind() == DclientException.Kind.INTERRUPTED) {
                    InterruptedException ie = new InterruptedException("interrupted while polling");
                    ie.initCause(e);
                    throw ie;
                }
                if (!isNetworkError(e)) throw e;
                failures++;
                lastNetworkError = e.getMessage();
                listener.networkError(lastNetworkError, backoff(interval, failures));
                continue;
            }
            listener.polled();
            JsonNode body = r.jsonOrNull();
            boolean object = body != null && body.isObject();
            String token = object ? text(body, "access_token") : null;
            if (r.ok() && token != null) {
                if (!TokenResolver.wellFormed(token.strip()) || token.isBlank()) {
                    // It would go into an Authorization header as is: a line break there is a
                    // header injection, and the JDK would print the whole value in its refusal.
                    throw new DclientException(Safe.maskUrl(client.baseUrl()) + " answered with a token that cannot be used"
                            + " (it contains spaces, control characters or characters outside ASCII); nothing was"
                            + " saved. Check that this is the Datasette instance you meant.", DclientException.Kind.SERVER);
                }
                token = token.strip();
                JsonNode ttl = body.get("expires_in");
                Duration expiresIn = ttl != null && ttl.canConvertToLong() && ttl.asLong() > 0
                        ? Duration.ofSeconds(ttl.asLong()) : null;
                return new Grant(token, expiresIn);
            }
            String error = object ? text(body, "error") : null;
            if (error == null) {
                if (r.status() == 502 || r.status() == 503 || r.status() == 504) {
                    failures++;
                    lastNetworkError = "HTTP " + r.status() + " from " + r.uri();
                    listener.networkError(lastNetworkError, backoff(interval, failures));
                    continue;
                }
                throw new Failure(Reason.UNEXPECTED, "HTTP " + r.status() + " from " + Safe.maskUrl(client.baseUrl()) + TOKEN_PATH
                        + (r.ok() ? " without an access_token" : ""));
            }
            failures = 0;
            lastNetworkError = null;
            switch (error) {
                case "authorization_pending" -> { }
                case "slow_down" -> {
                    interval = interval.plus(SLOW_DOWN_STEP);
                    JsonNode asked = body.get("interval");
                    if (asked != null && asked.canConvertToLong()) {
                        Duration server = Duration.ofSeconds(Math.min(asked.asLong(), MAX_INTERVAL.toSeconds()));
                        if (server.compareTo(interval) > 0) interval = server;
                    }
                    listener.slowedDown(interval);
                }
                case "access_denied" -> throw new Failure(Reason.DENIED, error);
                case "expired_token" -> throw new Failure(Reason.EXPIRED, null);
                case "invalid_grant" -> throw new Failure(Reason.INVALID_GRANT, error);
                default -> {
                    String description = text(body, "error_description");
                    throw new Failure(Reason.UNEXPECTED, error + (description == null ? "" : ": " + description)
                            + " (HTTP " + r.status() + ")");
                }
            }
        }
    }

    /** The wait after {@code failures} network failures in a row: doubling, at most 60 s, never below the interval. */
    static Duration backoff(Duration interval, int failures) {
        Duration d = interval;
        for (int i = 0; i < failures && d.compareTo(MAX_BACKOFF) < 0; i++) d = d.multipliedBy(2);
        if (d.compareTo(MAX_BACKOFF) > 0) d = MAX_BACKOFF;
        return d.compareTo(interval) < 0 ? interval : d;
    }

    /** A failure to reach the server (connect, timeout, DNS, reset), as opposed to an answer. */
    static boolean isNetworkError(DclientException e) {
        Throwable c = e.getCause();
        return c instanceof IOException || c instanceof UnresolvedAddressException;
    }

    static Duration interval(JsonNode n) {
        if (n == null || !n.canConvertToLong() || n.asLong() < 1) return DEFAULT_INTERVAL;
        return n.asLong() > MAX_INTERVAL.toSeconds() ? MAX_INTERVAL : Duration.ofSeconds(n.asLong());
    }

    static Duration expiresIn(JsonNode n) {
        if (n == null || !n.canConvertToLong() || n.asLong() < 1) return DEFAULT_EXPIRES_IN;
        return n.asLong() > MAX_EXPIRES_IN.toSeconds() ? MAX_EXPIRES_IN : Duration.ofSeconds(n.asLong());
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }
}
