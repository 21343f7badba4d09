package io.datasette.dclient.core.auth;

import io.datasette.dclient.core.text.Safe;
import io.datasette.dclient.core.text.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.Advice;
import io.datasette.dclient.core.config.Json;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.Response;
import java.time.Instant;

/** {@code GET /-/actor.json}, shared by {@code auth status} and {@code actor}. */
public final class ActorCall {
    static final String PATH = "/-/actor.json";

    private ActorCall() {}

    /**
     * Fetches the actor with {@code client}, which sends the token {@code token} describes. A
     * 401/403 becomes {@link PermissionAdvice#refused}'s failure: the server's message, and
     * advice that follows where the token came from and why it was refused; other failures use
     * the client's usual messages. Both faces call this: {@code dclient actor}, {@code auth
     * status} and the library's {@code actor()}.
     */
    public static JsonNode fetch(DatasetteClient client, TokenSource token) {
        Response r = client.get(PATH);
        if (r.status() == 401 || r.status() == 403) {
            throw PermissionAdvice.refused(r.status(), serverMessage(r), Safe.maskUrl(client.baseUrl()), token, client.label(), null);
        }
        return client.json(r);
    }

    /** The response as the user's document shows it: Python-style indent 4, without Datasette 1.0's {@code "ok": true}. */
    public static String render(JsonNode body) {
        JsonNode shown = body;
        if (body instanceof ObjectNode o && o.path("ok").isBoolean()) {
            ObjectNode copy = o.deepCopy();
            copy.remove("ok");
            shown = copy;
        }
        return Json.pretty(shown, 4);
    }

    /** The actor object, or null (anonymous, or no {@code actor} key). */
    public static JsonNode actor(JsonNode body) {
        JsonNode a = body.get("actor");
        return a == null || a.isNull() ? null : a;
    }

    /** Any token closer than this to its expiry (seconds) gets a warning. */
    public static final long WARN_SECONDS = 5 * 60;
    /** ...and so does a token of known lifetime with less than this share of it left (10%). */
    public static final double WARN_SHARE = 0.10;

    /**
     * When the token in use expires (epoch seconds) and how long it was issued for (seconds,
     * null when unknown).
     */
    public record Expiry(long expiresAt, Long lifetime) {}

    /**
     * When the token in use expires, or null when unknown: the server's {@code token_expires},
     * else the sidecar note for its auth.json key, else its dstok_ payload. The lifetime comes
     * from the sidecar (recorded by {@code login}) or the dstok_ payload ({@code d}).
     */
    public static Expiry expiry(TokenSource src, Context ctx, JsonNode actor) {
        if (!src.present()) {
            return actor != null && actor.path("token_expires").canConvertToLong()
                    ? new Expiry(actor.path("token_expires").asLong(), null) : null;
        }
        Long at = null;
        Long lifetime;
        if (src.key() != null) {
            TokenMetadata meta = new TokenMetadata(ctx.configDir(), ctx.err());
            if (actor == null || !actor.path("token_expires").canConvertToLong()) at = meta.expiresAt(src.key(), src.token());
            lifetime = meta.lifetime(src.key(), src.token());
        } else {
            at = TokenMetadata.decodedExpiry(src.token());
            lifetime = TokenMetadata.decodedLifetime(src.token());
        }
        if (actor != null && actor.path("token_expires").canConvertToLong()) at = actor.path("token_expires").asLong();
        return at == null ? null : new Expiry(at, lifetime);
    }

    /**
     * Whether a token with {@code left} seconds to go deserves a warning: when it has expired,
     * has under {@link #WARN_SECONDS} (5 minutes) left, or, when its lifetime is known, under
     * {@link #WARN_SHARE} (10%) of it. So a fresh 1-hour token (datasette-oauth's default) gets
     * none until its last 6 minutes, a 30-day one in its last 3 days. When the lifetime is
     * unknown only the 5 minutes count: any fixed longer notice would warn about every fresh
     * short-lived token, and {@code auth status} shows the expiry anyway.
     */
    public static boolean expiresSoon(long left, Long lifetime) {
        if (left < WARN_SECONDS) return true;
        return lifetime != null && lifetime > 0 && left < lifetime * WARN_SHARE;
    }

    /**
     * The warning for a token that expires soon or has expired, or null when none is due: the
     * facts ("Warning: the token expires in 3 minutes (...)."), with advice for a face to word
     * ({@link Advice.Problem#EXPIRING}: get a new one, as fits where the token came from).
     */
    public static Warning warning(Expiry e, TokenSource token, String label, Instant now) {
        if (e == null) return null;
        long left = e.expiresAt() - now.getEpochSecond();
        if (!expiresSoon(left, e.lifetime())) return null;
        String text = left <= 0
                ? "Warning: by this computer's clock the token expired " + Durations.rough(-left) + " ago ("
                        + TokenMetadata.when(e.expiresAt()) + ")."
                : "Warning: the token expires in " + Durations.rough(left) + " (" + TokenMetadata.when(e.expiresAt()) + ").";
        return new Warning(text, new Advice.ReplaceToken(label, token.facts(), Advice.Problem.EXPIRING, null));
    }

    /** An expiry warning: what it says, and what to do about it (for a face to word). */
    public record Warning(String text, Advice advice) {}

    /** "Token expires 2026-05-01 10:00 UTC (in 5 hours)": {@code auth status}'s line when no {@link #warning} is due. */
    public static String expiryLine(Expiry e, Instant now) {
        return "Token " + TokenMetadata.describe(e.expiresAt(), now);
    }

    /** Datasette's error text ("Token has expired"), else a short plain body, else "Unauthorized"/"Forbidden". */
    static String serverMessage(Response r) {
        String text = DatasetteClient.serverText(r);
        if (text == null) text = DatasetteClient.plainText(r);
        if (text != null) return text;
        return r.status() == 401 ? "Unauthorized" : "Forbidden";
    }
}
