package io.tokenkit.aozora;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.discovery.IssuerMetadata;
import io.tokenkit.discovery.ServerMetadata;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.InMemoryOneTimeValueStore;
import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.aozora.AozoraTestSupport.BASIC_HEADER;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.ISSUER;
import static io.tokenkit.aozora.AozoraTestSupport.REDIRECT_URI;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static io.tokenkit.aozora.AozoraTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * PKCE, PAR and the callback's {@code iss} on the wire, against a loopback bank: what
 * each request carries, that a pending request is used once and expires, and how a
 * refusal reads.
 */
class GmoAozoraPkceParIssTests {

	private static final String SESSION = "session-42";

	private static final String TOKENS = """
			{"access_token":"at-1","refresh_token":"rt-1","scope":"private:account","token_type":"Bearer",\
			"expires_in":"3600"}""";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryOneTimeValueStore requests = new InMemoryOneTimeValueStore(this.clock);

	private GmoAozoraClient client;

	private GmoAozoraTokenClient tokenClient;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = client(ClientAuthenticationMethod.BASIC);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private GmoAozoraClient client(ClientAuthenticationMethod method) {
		this.tokenClient = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url("/ganb/api/auth/v1/token").toString()), CLIENT_ID, CLIENT_SECRET, method,
				TokenRequestObserver.NOOP, TokenCallPolicy.DEFAULT.withMaxRetries(0));
		return new GmoAozoraClient(URI.create("https://api.gmo-aozora.com/ganb/api/auth/v1/authorization"),
				REDIRECT_URI, List.of("private:account"), new GmoAozoraState("pepper-salt"), this.tokenClient,
				new InMemoryNonceStore(this.clock), null, this.clock);
	}

	private GmoAozoraPushedAuthorizationClient pushedAuthorization() {
		return new GmoAozoraPushedAuthorizationClient(WebClient.create(),
				TokenEndpointResolver.fixed(URI.create(this.server.url("/ganb/api/auth/v1/par").toString())),
				this.tokenClient.getAuthentication(), TokenRequestObserver.NOOP,
				TokenCallPolicy.DEFAULT.withMaxRetries(0), this.clock);
	}

	private GmoAozoraClient withPkce() {
		return this.client.withPkce(new InMemoryOneTimeValueStore(this.clock), Duration.ofMinutes(10));
	}

	@Test
	void pkceWhenOnThenChallengeIsTheS256OfTheVerifierTheExchangeSendsAndTheCallbackCompletesOnce() throws Exception {
		GmoAozoraClient pkce = withPkce();
		Map<String, String> first = query(pkce.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)));
		Map<String, String> second = query(pkce.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)));
		assertThat(first)
			.containsKeys("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge",
					"code_challenge_method")
			.containsEntry("code_challenge_method", "S256");
		assertThat(first.get("state")).matches("[0-9a-f]{64}\\.[A-Za-z0-9_-]{43}")
			.startsWith(new GmoAozoraState("pepper-salt").generate(SESSION))
			.isNotEqualTo(second.get("state"));
		assertThat(first.get("code_challenge")).isNotEqualTo(second.get("code_challenge"));
		this.server.enqueue(json(200, TOKENS));

		pkce.completeAuthorization(SESSION, Map.of("code", "code-1", "state", first.get("state")))
			.block(Duration.ofSeconds(5));
		RecordedRequest exchange = this.server.takeRequest();
		String verifier = form(exchange).get("code_verifier");
		assertThat(verifier).matches("[A-Za-z0-9_-]{43}");
		assertThat(s256(verifier)).isEqualTo(first.get("code_challenge"));
		assertThat(form(exchange)).containsEntry("code", "code-1").containsEntry("redirect_uri", REDIRECT_URI);
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> pkce.completeAuthorization(SESSION, Map.of("code", "code-1", "state", first.get("state")))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("unknown, expired (tokenkit.gmo-aozora.nonce-time-to-live), already completed");
		assertThat(this.server.getRequestCount()).as("the replay sent nothing").isEqualTo(1);
	}

	@Test
	void pkceWhenTheRequestExpiredOrTheStateNamesNoneOrAnotherSessionThenRefusedBeforeAnyTokenCall() {
		GmoAozoraClient pkce = withPkce();
		String state = query(pkce.prepareAuthorization(SESSION).block(Duration.ofSeconds(5))).get("state");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> pkce.completeAuthorization("session-43", Map.of("code", "c", "state", state))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("not made for this session");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> pkce
				.completeAuthorization(SESSION,
						Map.of("code", "c", "state", new GmoAozoraState("pepper-salt").generate(SESSION)))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("names no PKCE request");
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> pkce.completeAuthorization(SESSION, Map.of("code", "c", "state", state))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("expired");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void pkceWhenAnotherSessionSplicesTheVictimsRequestIdIntoItsOwnStateThenRefusedAndTheVictimStillCompletes()
			throws Exception {
		GmoAozoraClient pkce = withPkce();
		Map<String, String> victim = query(pkce.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)));
		String attackerState = query(pkce.prepareAuthorization("attacker-session").block(Duration.ofSeconds(5)))
			.get("state");
		String victimRequestId = victim.get("state").substring(victim.get("state").indexOf('.') + 1);
		String spliced = attackerState.substring(0, attackerState.indexOf('.') + 1) + victimRequestId;
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> pkce
				.completeAuthorization("attacker-session", Map.of("code", "victims-code", "state", spliced))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("started by another session");
		assertThat(this.server.getRequestCount()).as("no code sent for the attacker").isZero();
		this.server.enqueue(json(200, TOKENS));
		pkce.completeAuthorization(SESSION, Map.of("code", "victims-code", "state", victim.get("state")))
			.block(Duration.ofSeconds(5));
		assertThat(s256(form(this.server.takeRequest()).get("code_verifier"))).isEqualTo(victim.get("code_challenge"));
	}

	@Test
	void pkceWhenVerifierThenRandomKeptInTheStoreSoAnotherInstanceCompletesButTheSaltAloneCannotRebuildIt()
			throws Exception {
		InMemoryOneTimeValueStore shared = new InMemoryOneTimeValueStore(this.clock);
		GmoAozoraClient first = this.client.withPkce(shared, Duration.ofMinutes(10));
		GmoAozoraClient second = client(ClientAuthenticationMethod.BASIC).withPkce(shared, Duration.ofMinutes(10));
		GmoAozoraClient sameSaltOtherStore = withPkce();
		URI uri = first.prepareAuthorization(SESSION).block(Duration.ofSeconds(5));
		Map<String, String> query = query(uri);
		assertThatExceptionOfType(GmoAozoraStateException.class).isThrownBy(() -> sameSaltOtherStore
			.completeAuthorization(SESSION, Map.of("code", "c", "state", query.get("state")))
			.block(Duration.ofSeconds(5)));
		this.server.enqueue(json(200, TOKENS));
		second.completeAuthorization(SESSION, Map.of("code", "c", "state", query.get("state")))
			.block(Duration.ofSeconds(5));
		String verifier = form(this.server.takeRequest()).get("code_verifier");
		assertThat(verifier).matches("[A-Za-z0-9_-]{43}");
		assertThat(s256(verifier)).isEqualTo(query.get("code_challenge"));
		assertThat(uri.toString()).doesNotContain(verifier);
		assertThat(shared.size()).as("taken once").isZero();
	}

	@Test
	void pkceWhenOnThenTheCallsThatCannotCarryItSayWhatToUseAndTheBlockingUrlWaitsOffReactorThreads() {
		GmoAozoraClient pkce = withPkce();
		assertThat(pkce.preparesAuthorization()).isTrue();
		assertThat(this.client.preparesAuthorization()).isFalse();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> pkce.authorizationUri(SESSION))
			.withMessageContaining("prepareAuthorization(sessionId)");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> pkce.exchangeCode("code-1").block(Duration.ofSeconds(5)))
			.withMessageContaining("completeAuthorization");
		BlockingGmoAozoraClient blocking = new BlockingGmoAozoraClient(pkce);
		assertThat(query(blocking.authorizationUri(SESSION))).containsKey("code_challenge");
		assertThat(query(blocking.authorizationUri(SESSION, List.of("private:transfer")))).containsEntry("scope",
				"private:transfer");
		assertThatExceptionOfType(NonBlockingThreadException.class)
			.isThrownBy(() -> Mono.fromCallable(() -> blocking.authorizationUri(SESSION))
				.subscribeOn(Schedulers.parallel())
				.block(Duration.ofSeconds(5)));
		assertThat(pkce.toString()).contains("pkce=true", "par=false", "issuerCheck=false");
	}

	@Test
	void parWhenOnThenRequestPushedWithTheClientsAuthenticationAndTheUrlCarriesOnlyClientIdAndRequestUri()
			throws Exception {
		GmoAozoraClient par = withPkce().withPushedAuthorization(pushedAuthorization());
		this.server.enqueue(json(201, """
				{"request_uri":"urn:ietf:params:oauth:request_uri:abc&1","expires_in":60}"""));

		URI uri = par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5));
		assertThat(uri.toString()).isEqualTo("https://api.gmo-aozora.com/ganb/api/auth/v1/authorization?client_id="
				+ CLIENT_ID + "&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc%261");
		RecordedRequest push = this.server.takeRequest();
		assertThat(push.getMethod()).isEqualTo("POST");
		assertThat(push.getTarget()).isEqualTo("/ganb/api/auth/v1/par");
		assertThat(push.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
		assertThat(push.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(form(push)).containsEntry("client_id", CLIENT_ID)
			.containsEntry("redirect_uri", REDIRECT_URI)
			.containsEntry("response_type", "code")
			.containsEntry("scope", "private:account")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "code_challenge")
			.doesNotContainKeys("client_secret", "code_verifier");
	}

	@Test
	void parWhenTheAnswerArrivesWithinItsLifetimeThenTheUrlAndTheExpiryCountFromThePush() throws Exception {
		GmoAozoraClient par = parAnsweringAfter(Duration.ofSeconds(59));
		Instant pushed = this.clock.instant();

		URI uri = par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5));
		assertThat(query(uri)).containsEntry("request_uri", "urn:ietf:params:oauth:request_uri:r-1");
		String state = form(this.server.takeRequest()).get("state");
		assertThat(this.requests.take(GmoAozoraClient.PKCE_NAMESPACE, state).block()).as("kept for the callback")
			.isNotNull();
		Instant next = this.clock.instant();
		assertThat(pushedAuthorization().push(Map.of("client_id", CLIENT_ID)).block(Duration.ofSeconds(5)))
			.satisfies((answer) -> {
				assertThat(answer.expiresIn()).isEqualTo(Duration.ofSeconds(60));
				assertThat(answer.expiresAt()).as("from the send, not the answer").isEqualTo(next.plusSeconds(60));
				assertThat(answer.isExpired(next.plusSeconds(59))).isFalse();
				assertThat(answer.isExpired(next.plusSeconds(60))).isTrue();
			});
		assertThat(next).isEqualTo(pushed.plusSeconds(59));
	}

	@Test
	void parWhenTheAnswerArrivesAfterItsRequestUriExpiredThenRefusedAndTheVerifierDiscarded() throws Exception {
		GmoAozoraClient par = parAnsweringAfter(Duration.ofSeconds(60));

		assertThatExceptionOfType(GmoAozoraPushedAuthorizationException.class)
			.isThrownBy(() -> par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)))
			.withMessageContaining("request_uri of the pushed authorization request expired before its "
					+ "authorization URL was built (the bank gave it 60 s, counted from the push)")
			.withMessageContaining("prepare the authorization again")
			.withMessageNotContaining("r-1");
		String state = form(this.server.takeRequest()).get("state");
		assertThat(this.requests.take(GmoAozoraClient.PKCE_NAMESPACE, state).block()).as("the verifier is discarded")
			.isNull();
	}

	@Test
	void parWhenThePushClientHasItsOwnClockThenTheExpiryIsJudgedOnThatClock() {
		// a push client on a clock an hour behind the client's (its 5-argument
		// constructor reads the system clock while a client may be given any other)
		Clock behind = Clock.offset(this.clock, Duration.ofHours(-1));
		this.server.enqueue(json(201, """
				{"request_uri":"urn:ietf:params:oauth:request_uri:r-1","expires_in":60}"""));
		GmoAozoraClient par = this.client.withPkce(this.requests, Duration.ofMinutes(10))
			.withPushedAuthorization(new GmoAozoraPushedAuthorizationClient(WebClient.create(),
					TokenEndpointResolver.fixed(URI.create(this.server.url("/ganb/api/auth/v1/par").toString())),
					this.tokenClient.getAuthentication(), TokenRequestObserver.NOOP,
					TokenCallPolicy.DEFAULT.withMaxRetries(0), behind));

		URI uri = par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5));
		assertThat(query(uri)).as("answered at once, so not expired")
			.containsEntry("request_uri", "urn:ietf:params:oauth:request_uri:r-1");
	}

	/**
	 * Return a client with PKCE (its requests kept in {@link #requests}) and PAR, whose
	 * push endpoint answers a {@code request_uri} valid for 60 s once the clock has moved
	 * on by the time the answer takes.
	 */
	private GmoAozoraClient parAnsweringAfter(Duration answerTime) {
		this.server.setDispatcher(answeringAfter(answerTime, 60));
		return this.client.withPkce(this.requests, Duration.ofMinutes(10))
			.withPushedAuthorization(pushedAuthorization());
	}

	/**
	 * A push endpoint that answers {@code request_uri} {@code r-1} with an
	 * {@code expires_in}, once the clock has moved on by the time the answer takes.
	 */
	private Dispatcher answeringAfter(Duration answerTime, long expiresIn) {
		return new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				GmoAozoraPkceParIssTests.this.clock.advance(answerTime);
				return json(201, """
						{"request_uri":"urn:ietf:params:oauth:request_uri:r-1","expires_in":%d}"""
					.formatted(expiresIn));
			}

		};
	}

	@Test
	void parWhenRefusedOrAnsweredWithoutRequestUriThenTypedExceptionThatShowsNoSecret() {
		GmoAozoraClient par = client(ClientAuthenticationMethod.POST).withPushedAuthorization(pushedAuthorization());
		this.server.enqueue(json(400, """
				{"error":"invalid_request","error_description":"client_secret %s is wrong"}"""
			.formatted(CLIENT_SECRET)));
		assertThatExceptionOfType(GmoAozoraPushedAuthorizationException.class)
			.isThrownBy(() -> par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getError()).isEqualTo("invalid_request");
				assertThat(ex.getErrorDescription()).isEqualTo("client_secret [REDACTED] is wrong");
				assertThat(ex.getMessage()).doesNotContain(CLIENT_SECRET)
					.contains("refused the authorization request with 400 invalid_request")
					.contains("switch tokenkit.gmo-aozora.par off");
			});
		this.server.enqueue(json(201, """
				{"expires_in":60}"""));
		assertThatExceptionOfType(GmoAozoraPushedAuthorizationException.class)
			.isThrownBy(() -> par.prepareAuthorization(SESSION).block(Duration.ofSeconds(5)))
			.withMessageContaining("without a request_uri and a positive expires_in");
		assertThat(this.server.getRequestCount()).as("not sent again").isEqualTo(2);
	}

	@Test
	void issWhenCheckedThenTheBanksIssuerAcceptedAndNoIssOrAnotherRefusedBeforeTheErrorIsRead() {
		GmoAozoraClient checked = this.client.withIssuerCheck(ISSUER);
		String state = query(checked.authorizationUri(SESSION)).get("state");
		this.server.enqueue(json(200, TOKENS));
		checked.completeAuthorization(SESSION, Map.of("code", "c1", "state", state, "iss", ISSUER))
			.block(Duration.ofSeconds(5));
		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
			.isThrownBy(() -> checked.completeAuthorization(SESSION, Map.of("code", "c2", "state", state))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("carries no iss although issuer '" + ISSUER + "'")
			.satisfies((ex) -> assertThat(ex.getIssuer()).isNull());
		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
			.isThrownBy(() -> checked
				.completeAuthorization(SESSION,
						Map.of("error", "access_denied", "state", state, "iss", "https://api.gmo-aozora.com"))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("'https://api.gmo-aozora.com', not the bank's '" + ISSUER + "'");
		this.server.enqueue(json(200, TOKENS));
		assertThat(this.client
			.completeAuthorization(SESSION, Map.of("code", "c3", "state", state, "iss", "https://other.example/"))
			.block(Duration.ofSeconds(5))).as("not checked when off").isNotNull();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void issWhenTheIssuersMetadataSaysItIsSentThenRequiredAndCheckedAgainstTheMetadatasIssuer() {
		GmoAozoraClient sent = this.client.withIssuerMetadata(metadata(true));
		String state = query(sent.authorizationUri(SESSION)).get("state");
		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
			.isThrownBy(() -> sent.completeAuthorization(SESSION, Map.of("code", "c1", "state", state))
				.block(Duration.ofSeconds(5)))
			.withMessageContaining("carries no iss although issuer '" + ISSUER + "'");
		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class).isThrownBy(
				() -> sent.completeAuthorization(SESSION, Map.of("code", "c1", "state", state, "iss", ISSUER + "/"))
					.block(Duration.ofSeconds(5)));
		assertThat(this.server.getRequestCount()).isZero();
		this.server.enqueue(json(200, TOKENS));
		this.server.enqueue(json(200, TOKENS));
		sent.completeAuthorization(SESSION, Map.of("code", "c1", "state", state, "iss", ISSUER))
			.block(Duration.ofSeconds(5));
		this.client.withIssuerMetadata(metadata(false))
			.completeAuthorization(SESSION, Map.of("code", "c2", "state", state))
			.block(Duration.ofSeconds(5));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	private IssuerMetadata metadata(boolean issSupported) {
		ServerMetadata server = new ServerMetadata(ISSUER, URI.create(ISSUER + "/.well-known/openid-configuration"),
				URI.create(ISSUER + "/token"), null, null, Map.of(), List.of(), Map.of(), issSupported);
		return new IssuerMetadata(ISSUER, (issuer) -> Mono.just(server), Duration.ofSeconds(5), Duration.ofSeconds(1),
				this.clock);
	}

	private static String s256(String verifier) throws Exception {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
	}

}
