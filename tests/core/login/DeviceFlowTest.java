package io.datasette.dclient.core.login;

import io.datasette.dclient.testing.FakeTime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.datasette.dclient.core.DclientException;
import io.datasette.dclient.core.http.DatasetteClient;
import io.datasette.dclient.core.http.SocketTransport;
import io.datasette.dclient.testing.RecordedDatasette;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The polling rules, against stubs of our own: no real sleeping, the clock moves with the sleeper. */
class DeviceFlowTest {
    @RegisterExtension
    final RecordedDatasette wm = RecordedDatasette.empty();
    FakeTime.FakeClock clock;
    FakeTime.RecordingSleeper sleeper;
    DeviceFlow flow;
    final List<String> events = new ArrayList<>();
    final DeviceFlow.Listener listener = new DeviceFlow.Listener() {
        @Override
        public void polled() {
            events.add("poll");
        }

        @Override
        public void slowedDown(Duration interval) {
            events.add("slow " + interval.toSeconds());
        }

        @Override
        public void networkError(String message, Duration retryIn) {
            events.add("net " + retryIn.toSeconds());
        }
    };

    @BeforeEach
    void setUp() {
        clock = new FakeTime.FakeClock();
        sleeper = new FakeTime.RecordingSleeper(clock);
        DatasetteClient client = new DatasetteClient(SocketTransport.fromEnv(Map.of()), wm.baseUrl(), null, null,
                Duration.ofSeconds(5), "dev");
        flow = new DeviceFlow(client, clock, sleeper);
    }

    static DeviceFlow.DeviceCode code(long expiresIn, long interval) {
        return new DeviceFlow.DeviceCode("dc1", "BCDF-GHJK", "http://x/-/oauth/device/verify", null,
                Duration.ofSeconds(expiresIn), Duration.ofSeconds(interval));
    }

    /** Token endpoint answers, one per poll in order; the last one repeats. */
    void tokenAnswers(String... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? STARTED : "s" + i;
            var stub = post(urlPathEqualTo("/-/oauth/token")).inScenario("poll").whenScenarioStateIs(state)
                    .withFormParam("grant_type", equalTo(DeviceFlow.GRANT_TYPE))
                    .withFormParam("device_code", equalTo("dc1"));
            String a = answers[i];
            var response = switch (a) {
                case "reset" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
                case "502" -> aResponse().withStatus(502).withBody("<html>Bad gateway</html>");
                case "token" -> okJson("{\"access_token\": \"dstok_NEW\", \"token_type\": \"bearer\", \"expires_in\": 3600}");
                default -> aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody(a.startsWith("{") ? a : "{\"error\": \"" + a + "\"}");
            };
            if (i < answers.length - 1) stub = stub.willSetStateTo("s" + (i + 1));
            wm.stubFor(stub.willReturn(response));
        }
    }

    @Test
    void pendingThenTokenWaitsTheIntervalBeforeEveryPoll() throws Exception {
        tokenAnswers("authorization_pending", "authorization_pending", "token");
        DeviceFlow.Grant g = flow.await(code(900, 5), listener);
        assertEquals("dstok_NEW", g.accessToken());
        assertEquals(Duration.ofSeconds(3600), g.expiresIn());
        assertEquals(List.of(5L, 5L, 5L), sleeper.seconds());
        assertEquals(List.of("poll", "poll", "poll"), events);
        wm.verify(3, postRequestedFor(urlPathEqualTo("/-/oauth/token")));
        assertTrue(!g.toString().contains("dstok_NEW"), "toString must not show the token");
    }

    @Test
    void slowDownAddsFiveSecondsForThisAndEveryLaterPoll() throws Exception {
        tokenAnswers("authorization_pending", "slow_down", "authorization_pending", "slow_down", "token");
        flow.await(code(900, 5), listener);
        assertEquals(List.of(5L, 5L, 10L, 10L, 15L), sleeper.seconds());
        assertEquals(List.of("poll", "poll", "slow 10", "poll", "poll", "slow 15", "poll"), events);
    }

    @Test
    void slowDownHonoursALargerIntervalFromTheServer() throws Exception {
        tokenAnswers("{\"error\": \"slow_down\", \"interval\": 30}", "token");
        flow.await(code(900, 5), listener);
        assertEquals(List.of(5L, 30L), sleeper.seconds());
    }

    @Test
    void stopsAtTheDeadlineWithoutPollingAnExpiredCode() {
        tokenAnswers("authorization_pending");
        DeviceFlow.Failure f = assertThrows(DeviceFlow.Failure.class, () -> flow.await(code(12, 5), listener));
        assertEquals(DeviceFlow.Reason.EXPIRED, f.reason());
        assertNull(f.detail());
        // 5 + 5 + the 2 s left: two polls, none at or after the deadline.
        assertEquals(List.of(5L, 5L, 2L), sleeper.seconds());
        wm.verify(2, postRequestedFor(urlPathEqualTo("/-/oauth/token")));
        assertEquals(FakeTime.START.plusSeconds(12), clock.instant());
    }

    @Test
    void networkErrorsAreRetriedWithDoublingWaitsThenTheIntervalAgain() throws Exception {
        tokenAnswers("reset", "reset", "authorization_pending", "token");
        DeviceFlow.Grant g = flow.await(code(900, 5), listener);
        assertEquals("dstok_NEW", g.accessToken());
        assertEquals(List.of(5L, 10L, 20L, 5L), sleeper.seconds());
        assertEquals(List.of("net 10", "net 20", "poll", "poll"), events);
    }

    @Test
    void gatewayErrorsCountAsNetworkTrouble() throws Exception {
        tokenAnswers("502", "token");
        flow.await(code(900, 5), listener);
        assertEquals(List.of(5L, 10L), sleeper.seconds());
    }

    @Test
    void networkErrorsUntilTheDeadlineReportTheLastError() {
        tokenAnswers("reset");
        DeviceFlow.Failure f = assertThrows(DeviceFlow.Failure.class, () -> flow.await(code(100, 5), listener));
        assertEquals(DeviceFlow.Reason.EXPIRED, f.reason());
        assertTrue(f.detail() != null && !f.detail().isEmpty());
        // 5, then the backoff 10, 20, 40, and the 25 s left = 100 s; four polls, none after the deadline.
        assertEquals(List.of(5L, 10L, 20L, 40L, 25L), sleeper.seconds());
        assertEquals(100, sleeper.seconds().stream().mapToLong(Long::longValue).sum());
        wm.verify(4, postRequestedFor(urlPathEqualTo("/-/oauth/token")));
    }

    @Test
    void backoffIsCappedAtSixtySeconds() {
        assertEquals(Duration.ofSeconds(10), DeviceFlow.backoff(Duration.ofSeconds(5), 1));
        assertEquals(Duration.ofSeconds(40), DeviceFlow.backoff(Duration.ofSeconds(5), 3));
        assertEquals(Duration.ofSeconds(60), DeviceFlow.backoff(Duration.ofSeconds(5), 4));
        assertEquals(Duration.ofSeconds(60), DeviceFlow.backoff(Duration.ofSeconds(5), 40));
        assertEquals(Duration.ofSeconds(60), DeviceFlow.backoff(Duration.ofSeconds(60), 2));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"access_denied,DENIED", "expired_token,EXPIRED", "invalid_grant,INVALID_GRANT",
        "unsupported_grant_type,UNEXPECTED", "invalid_client,UNEXPECTED"})
    void terminalErrorsStopPolling(String error, DeviceFlow.Reason reason) {
        tokenAnswers("authorization_pending", error);
        DeviceFlow.Failure f = assertThrows(DeviceFlow.Failure.class, () -> flow.await(code(900, 5), listener));
        assertEquals(reason, f.reason());
        assertEquals(List.of(5L, 5L), sleeper.seconds());
        if (reason == DeviceFlow.Reason.UNEXPECTED) assertTrue(f.detail().startsWith(error), f.detail());
    }

    @Test
    void anAnswerThatIsNotOAuthIsFatal() {
        wm.stubFor(post(urlPathEqualTo("/-/oauth/token")).willReturn(aResponse().withStatus(500).withBody("oops")));
        DeviceFlow.Failure f = assertThrows(DeviceFlow.Failure.class, () -> flow.await(code(900, 5), listener));
        assertEquals(DeviceFlow.Reason.UNEXPECTED, f.reason());
        assertTrue(f.detail().contains("HTTP 500"), f.detail());
        assertEquals(1, sleeper.slept.size());
    }

    @Test
    void interruptedSleepPropagates() {
        tokenAnswers("authorization_pending");
        sleeper.interruptOn(2);
        assertThrows(InterruptedException.class, () -> flow.await(code(900, 5), listener));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/-/oauth/token")));
    }

    @ParameterizedTest(name = "interval {0} -> {1}")
    @CsvSource({"5,5", "1,1", "0,5", "-3,5", "1000,60", "'\"x\"',5", "null,5"})
    void intervalsAreClamped(String json, long seconds) throws Exception {
        var node = io.datasette.dclient.core.config.Json.parse(json);
        assertEquals(Duration.ofSeconds(seconds), DeviceFlow.interval(node.isNull() ? null : node));
    }

    @Test
    void deviceCodeDefaultsWhenIntervalAndExpiryAreMissing() {
        wm.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(okJson(
                "{\"device_code\": \"dc1\", \"user_code\": \"BCDF-GHJK\", \"verification_uri\": \"http://x/verify\"}")));
        DeviceFlow.DeviceCode c = flow.start(List.of());
        assertEquals(Duration.ofSeconds(5), c.interval());
        assertEquals(Duration.ofSeconds(900), c.expiresIn());
        assertEquals("http://x/verify?code=BCDF-GHJK", c.prefilledLink());
        assertTrue(!c.toString().contains("dc1"), "the device code is not for display");
    }

    @Test
    void verificationUriCompleteIsPreferredForTheLink() {
        wm.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(okJson("{\"device_code\": \"dc1\","
                + " \"user_code\": \"BCDF-GHJK\", \"verification_uri\": \"http://x/verify\","
                + " \"verification_uri_complete\": \"http://x/verify?user_code=BCDF-GHJK\"}")));
        assertEquals("http://x/verify?user_code=BCDF-GHJK", flow.start(List.of()).prefilledLink());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "403|{\"error\": \"Device flow is not enabled\"}|Device flow is not enabled on http",
        "404|<html>Not found</html>|does not offer OAuth device login (HTTP 404",
        "400|{\"error\": \"Invalid scope\"}|rejected the requested scope (Invalid scope)",
        "405|{\"error\": \"Method not allowed\"}|Could not start the login at ",
        "200|{\"ok\": true}|Unexpected answer from "})
    void deviceEndpointErrorsSayWhatToDo(int status, String body, String expected) {
        wm.stubFor(post(urlPathEqualTo("/-/oauth/device")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", body.startsWith("{") ? "application/json" : "text/html").withBody(body)));
        DclientException e = assertThrows(DclientException.class,
                () -> flow.start(List.of(List.of("view-instance"))));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        if (status == 403 || status == 404) {
            assertTrue(e.getMessage().contains("datasette-oauth plugin with enable_device_flow: true"), e.getMessage());
            assertEquals(new io.datasette.dclient.core.Advice.StoreToken("dev"), e.advice(), "advice: store a token instead");
        }
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void scopeJsonIsWrittenLikePython() {
        assertEquals("[[\"view-instance\"], [\"view-table\", \"fixtures\", \"dogs\"]]",
                Scopes.toJson(List.of(List.of("view-instance"), List.of("view-table", "fixtures", "dogs"))));
        assertEquals("[]", Scopes.toJson(List.of()));
    }
}
