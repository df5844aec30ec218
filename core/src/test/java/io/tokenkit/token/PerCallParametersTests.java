package io.tokenkit.token;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.ParameterTokenEndpoint;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Per-call {@link TokenParameters} on a client-credentials registration against a token
 * endpoint on loopback: each parameter set is a token of its own, asked for with its
 * scope, audience and resource, shared by every request with equal parameters.
 */
class PerCallParametersTests {

	private static final TokenKey ORDERS = TokenKey.of("orders");

	private static final TokenParameters READ = TokenParameters.scopes("orders.read");

	private static final TokenParameters WRITE = TokenParameters.scopes("orders.write");

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private ParameterTokenEndpoint endpoint;

	private TokenManager manager;

	@BeforeEach
	void start() throws IOException {
		this.endpoint = new ParameterTokenEndpoint();
		this.manager = this.endpoint.manager(this.clock);
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void twoCallsWithDifferentScopesGetDifferentTokensEachIssuedForItsScope() {
		AccessToken read = this.manager.getToken(ORDERS.withParameters(READ)).block();
		AccessToken write = this.manager.getToken(ORDERS.withParameters(WRITE)).block();
		AccessToken defaults = this.manager.getToken(ORDERS).block();
		assertThat(read.getTokenValue()).isNotEqualTo(write.getTokenValue()).isNotEqualTo(defaults.getTokenValue());
		assertThat(this.endpoint.issuedFor(read.getTokenValue())).isEqualTo(READ);
		assertThat(this.endpoint.issuedFor(write.getTokenValue())).isEqualTo(WRITE);
		assertThat(this.endpoint.issuedFor(defaults.getTokenValue())).as("the registration's default scope")
			.isEqualTo(TokenParameters.scopes("default"));
		assertThat(this.manager.getToken(ORDERS.withParameters(READ)).block()).isSameAs(read);
		assertThat(this.endpoint.tokenCalls()).isEqualTo(3);
	}

	@Test
	void scopesInAnotherOrderShareOneToken() {
		AccessToken ab = this.manager.getToken(ORDERS.withParameters(TokenParameters.scopes("a", "b"))).block();
		AccessToken ba = this.manager.getToken(ORDERS.withParameters(TokenParameters.scopes("b", "a", "b"))).block();
		assertThat(ba).isSameAs(ab);
		assertThat(this.endpoint.tokenCalls()).isOne();
	}

	@Test
	void audienceAndResourcesAreSentAsFormParametersBesideTheDefaultScope() {
		TokenParameters parameters = TokenParameters.builder()
			.audiences(List.of("https://api.example"))
			.resources(List.of("https://b.example/", "https://a.example/"))
			.build();
		AccessToken token = this.manager.getToken(ORDERS.withParameters(parameters)).block();
		assertThat(this.endpoint.formValues(token.getTokenValue(), "audience")).containsExactly("https://api.example");
		assertThat(this.endpoint.formValues(token.getTokenValue(), "resource")).as("RFC 8707: one per resource")
			.containsExactly("https://a.example/", "https://b.example/");
		assertThat(this.endpoint.formValues(token.getTokenValue(), "scope")).containsExactly("default");
	}

	@Test
	void fiveHundredConcurrentCallsWithTheSameParametersMakeOneTokenCall() {
		this.endpoint.delay(Duration.ofMillis(200));
		List<AccessToken> tokens = concurrently(500, (i) -> TokenParameters.scopes("x", "y"));
		assertThat(tokens).hasSize(500);
		assertThat(tokens.stream().map(AccessToken::getTokenValue).distinct()).hasSize(1);
		assertThat(this.endpoint.tokenCalls()).isOne();
	}

	@Test
	void fiveHundredConcurrentCallsWithThreeParameterSetsMakeThreeTokenCallsEachServedItsOwn() {
		this.endpoint.delay(Duration.ofMillis(200));
		List<TokenParameters> sets = List.of(READ, WRITE,
				TokenParameters.builder().scopes(List.of("orders.read")).audiences(List.of("billing")).build());
		Map<TokenParameters, String> served = new ConcurrentHashMap<>();
		List<AccessToken> tokens = Flux.range(0, 500).flatMap((i) -> {
			TokenParameters parameters = sets.get(i % 3);
			return this.manager.getToken(ORDERS.withParameters(parameters))
				.subscribeOn(Schedulers.parallel())
				.doOnNext((token) -> {
					assertThat(this.endpoint.issuedFor(token.getTokenValue())).isEqualTo(parameters);
					served.merge(parameters, token.getTokenValue(), (a, b) -> a.equals(b) ? a : "two tokens");
				});
		}, 500).collectList().block(Duration.ofSeconds(30));
		assertThat(tokens).hasSize(500);
		assertThat(served).hasSize(3).doesNotContainValue("two tokens");
		assertThat(this.endpoint.tokenCalls()).isEqualTo(3);
	}

	@Test
	void aServerThatGrantsFewerScopesThanAskedIsCachedUnderWhatWasAskedWithTheGrantedScopesReadable() {
		TokenParameters asked = TokenParameters.scopes("orders.read", ParameterTokenEndpoint.DENIED);
		AccessToken token = this.manager.getToken(ORDERS.withParameters(asked)).block();
		assertThat(token.getScopes()).containsExactly("orders.read");
		assertThat(this.manager.getToken(ORDERS.withParameters(asked)).block()).isSameAs(token);
		assertThat(this.manager.getToken(ORDERS.withParameters(READ)).block().getTokenValue())
			.as("not served for what was granted: asked for less, it is another key")
			.isNotEqualTo(token.getTokenValue());
		assertThat(this.endpoint.tokenCalls()).isEqualTo(2);
	}

	@Test
	void eachParameterSetRefreshesAheadOnItsOwn() {
		AccessToken read = this.manager.getToken(ORDERS.withParameters(READ)).block();
		AccessToken write = this.manager.getToken(ORDERS.withParameters(WRITE)).block();
		this.clock.advance(Duration.ofSeconds(301));
		AccessToken newRead = this.manager.getToken(ORDERS.withParameters(READ)).block();
		assertThat(newRead.getTokenValue()).isNotEqualTo(read.getTokenValue());
		assertThat(this.endpoint.issuedFor(newRead.getTokenValue())).isEqualTo(READ);
		assertThat(this.endpoint.tokenCalls()).as("the write token is not refreshed until asked for").isEqualTo(3);
		AccessToken newWrite = this.manager.getToken(ORDERS.withParameters(WRITE)).block();
		assertThat(this.endpoint.issuedFor(newWrite.getTokenValue())).isEqualTo(WRITE);
		assertThat(newWrite.getTokenValue()).isNotEqualTo(write.getTokenValue());
	}

	@Test
	void aRejectedTokenIsReplacedForItsOwnParametersOnly() {
		AccessToken read = this.manager.getToken(ORDERS.withParameters(READ)).block();
		AccessToken write = this.manager.getToken(ORDERS.withParameters(WRITE)).block();
		AccessToken replacement = this.manager.reacquire(ORDERS.withParameters(READ), read).block();
		assertThat(this.endpoint.issuedFor(replacement.getTokenValue())).isEqualTo(READ);
		assertThat(this.manager.getToken(ORDERS.withParameters(WRITE)).block()).isSameAs(write);
	}

	@Test
	void removeAllRemovesEveryParameterSetOfTheKey() {
		TokenManager manager = this.endpoint.manager(this.clock);
		TokenKey alice = TokenKey.of("orders", "alice");
		AccessToken token = AccessToken.withValue("saved")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(300))
			.build();
		manager.save(alice, token).block();
		manager.save(alice.withParameters(READ), token).block();
		manager.save(alice.withParameters(WRITE), token).block();
		manager.save(TokenKey.of("orders", "bob").withParameters(READ), token).block();
		manager.removeAll("orders", "alice").block();
		assertThat(manager.getCachedToken(alice)).isNull();
		assertThat(manager.getCachedToken(alice.withParameters(READ))).isNull();
		assertThat(manager.getCachedToken(alice.withParameters(WRITE))).isNull();
		assertThat(manager.getCachedToken(TokenKey.of("orders", "bob").withParameters(READ))).isSameAs(token);
	}

	@Test
	void parametersOnARefreshTokenRegistrationAreATypedErrorNamingItAndNoTokenCall() {
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(), this.endpoint.tokenUri(), "app", "secret",
				ClientAuthenticationMethod.BASIC, "bank", "oauth2", TokenRequestObserver.NOOP);
		TokenManager manager = new TokenManager(
				List.of(TokenRegistration.of("bank",
						new RefreshTokenTokenSource(client, List.of(), "configured-refresh-token", this.clock))),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		TokenKey key = TokenKey.of("bank", "alice").withParameters(READ);
		assertThatExceptionOfType(TokenParametersNotSupportedException.class)
			.isThrownBy(() -> manager.getToken(key).block())
			.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("bank"))
			.withMessageContaining("'bank'")
			.withMessageContaining("TokenRequestAttributes.parameters")
			.withMessageNotContaining("alice")
			.withMessageNotContaining("orders.read");
		assertThatExceptionOfType(TokenParametersNotSupportedException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("bank").withParameters(READ)).block());
		AccessToken token = AccessToken.withValue("saved").refreshToken("rt").build();
		assertThatExceptionOfType(TokenParametersNotSupportedException.class)
			.isThrownBy(() -> manager.save(key, token).block());
		assertThatExceptionOfType(TokenParametersNotSupportedException.class)
			.isThrownBy(() -> manager.refresh(key).block());
		assertThatExceptionOfType(TokenParametersNotSupportedException.class)
			.isThrownBy(() -> manager.reacquire(key, token).block());
		assertThat(this.endpoint.tokenCalls()).isZero();
	}

	@Test
	void theRequestAttributeSelectsTheTokenOfAWebClientRequest() throws Exception {
		try (MockWebServer api = new MockWebServer()) {
			api.start();
			for (int i = 0; i < 3; i++) {
				api.enqueue(new MockResponse.Builder().body("ok").build());
			}
			WebClient client = WebClient.builder()
				.baseUrl(api.url("/").toString())
				.filter(new BearerTokenFilters(this.manager, TokenEventListener.NONE).filter("orders"))
				.build();
			for (TokenParameters parameters : List.of(READ, WRITE, READ)) {
				client.get()
					.uri("/orders")
					.attributes(TokenRequestAttributes.parameters(parameters))
					.retrieve()
					.bodyToMono(String.class)
					.block();
			}
			assertThat(issuedFor(api.takeRequest())).isEqualTo(READ);
			assertThat(issuedFor(api.takeRequest())).isEqualTo(WRITE);
			assertThat(issuedFor(api.takeRequest())).isEqualTo(READ);
			assertThat(this.endpoint.tokenCalls()).isEqualTo(2);
		}
	}

	@Test
	void theRequestAttributeSelectsTheTokenOfARestClientRequest() throws Exception {
		try (MockWebServer api = new MockWebServer()) {
			api.start();
			api.enqueue(new MockResponse.Builder().body("ok").build());
			api.enqueue(new MockResponse.Builder().body("ok").build());
			RestClient client = RestClient.builder()
				.baseUrl(api.url("/").toString())
				.requestInterceptor(
						new BearerTokenInterceptors(this.manager, TokenEventListener.NONE).interceptor("orders"))
				.build();
			client.get()
				.uri("/orders")
				.attributes(TokenRequestAttributes.parameters(WRITE))
				.retrieve()
				.body(String.class);
			client.get().uri("/orders").retrieve().body(String.class);
			assertThat(issuedFor(api.takeRequest())).isEqualTo(WRITE);
			assertThat(issuedFor(api.takeRequest())).isEqualTo(TokenParameters.scopes("default"));
		}
	}

	@Test
	void keyOfAnApplicationRequestWithParametersReusesOneKeyAndAPerUserOneCarriesThem() {
		Map<String, Object> attributes = new java.util.HashMap<>();
		TokenRequestAttributes.parameters(READ).accept(attributes);
		TokenKey first = TokenRequestAttributes.keyOf(attributes, ORDERS);
		assertThat(first).isEqualTo(new TokenKey("orders", null, READ));
		assertThat(TokenRequestAttributes.keyOf(attributes, ORDERS)).isSameAs(first);
		assertThat(TokenRequestAttributes.keyOf(attributes, TokenKey.of("billing")))
			.isEqualTo(new TokenKey("billing", null, READ));
		TokenRequestAttributes.subject("alice").accept(attributes);
		assertThat(TokenRequestAttributes.keyOf(attributes, ORDERS)).isEqualTo(new TokenKey("orders", "alice", READ));
		attributes.put(TokenRequestAttributes.PARAMETERS, "orders.read");
		assertThatIllegalArgumentException().isThrownBy(() -> TokenRequestAttributes.keyOf(attributes, ORDERS))
			.withMessageContaining("TokenRequestAttributes.parameters(TokenParameters)")
			.withMessageNotContaining("orders.read");
	}

	private TokenParameters issuedFor(RecordedRequest request) {
		String authorization = request.getHeaders().get("Authorization");
		return this.endpoint.issuedFor(authorization.substring("Bearer ".length()));
	}

	private List<AccessToken> concurrently(int calls, java.util.function.IntFunction<TokenParameters> parameters) {
		return Flux.range(0, calls)
			.flatMap((i) -> this.manager.getToken(ORDERS.withParameters(parameters.apply(i)))
				.subscribeOn(Schedulers.parallel()), calls)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

}
