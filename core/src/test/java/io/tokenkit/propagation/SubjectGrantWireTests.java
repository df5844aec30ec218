package io.tokenkit.propagation;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.oauth2.JwtBearerTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.TokenExchangeTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;
import io.tokenkit.token.TokenSource;
import io.tokenkit.web.BearerTokenFilters;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Token exchange and JWT bearer on a loopback server, through the token manager and the
 * WebClient bearer filter, the incoming token read from Spring Security's reactive
 * context as a WebFlux resource server sets it: what each token request sends, what the
 * resource gets, what the key holds, and how long the exchanged token lives.
 */
class SubjectGrantWireTests {

	private static final String EXCHANGED = """
			{"access_token":"exchanged-1","issued_token_type":"urn:ietf:params:oauth:token-type:access_token",
			"token_type":"Bearer","expires_in":3600}""";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final SubjectTokens subjectTokens = new SubjectTokens(this.clock);

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/token").toString()), "gateway",
				"gateway-secret", ClientAuthenticationMethod.BASIC, "orders", "oauth2",
				new TokenRequestObserver(ObservationRegistry.NOOP, null));
	}

	private TokenExchangeTokenSource exchange(TokenExchangeTokenSource.Settings settings) {
		return new TokenExchangeTokenSource(client(), this.subjectTokens, settings, List.of("orders.read"),
				List.of("orders-api"), List.of("https://orders.example.com"), Map.of(), this.clock,
				TokenLifetimes.DEFAULT);
	}

	private WebClient resourceClient(TokenSource source, TokenManager[] managerOut) {
		TokenRegistration registration = new TokenRegistration("orders", source, Duration.ofSeconds(30), null,
				TokenAuthorizer.bearer(),
				new SubjectTokenKeyResolver(IncomingBearerToken.fromRequest(), this.subjectTokens));
		TokenManager manager = new TokenManager(List.of(registration), new InMemoryTokenStore(this.clock), this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(10));
		managerOut[0] = manager;
		return WebClient.builder()
			.baseUrl(this.server.url("/api").toString())
			.filter(new BearerTokenFilters(manager, TokenEventListener.NONE).filter("orders"))
			.build();
	}

	private static String incomingJwt(Instant expiresAt) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "." + base64
			.encodeToString(
					("{\"sub\":\"alice\",\"exp\":" + expiresAt.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
				+ ".c2ln";
	}

	private static JwtAuthenticationToken authentication(String token, Instant expiresAt) {
		Jwt jwt = Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject("alice")
			.issuedAt(expiresAt.minusSeconds(600))
			.expiresAt(expiresAt)
			.build();
		// authenticated, as a resource server's JwtAuthenticationConverter makes it
		return new JwtAuthenticationToken(jwt, List.of());
	}

	private static Mono<String> call(WebClient client, JwtAuthenticationToken incoming) {
		return client.get()
			.uri("/orders")
			.retrieve()
			.bodyToMono(String.class)
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(incoming));
	}

	private static MultiValueMap<String, String> form(RecordedRequest request) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (String pair : request.getBody().utf8().split("&")) {
			String[] parts = pair.split("=", 2);
			form.add(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
		}
		return form;
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
	}

	@Test
	void exchangeWhenIncomingTokenInReactiveContextThenSubjectTokenSentAndResourceGetsExchangedToken()
			throws Exception {
		Instant subjectExpiry = this.clock.instant().plusSeconds(7200);
		String incoming = incomingJwt(subjectExpiry);
		this.server.enqueue(json(EXCHANGED));
		this.server.enqueue(new MockResponse.Builder().body("orders of alice").build());
		TokenManager[] manager = new TokenManager[1];
		WebClient client = resourceClient(exchange(TokenExchangeTokenSource.Settings.accessTokens()), manager);
		assertThat(call(client, authentication(incoming, subjectExpiry)).block()).isEqualTo("orders of alice");
		MultiValueMap<String, String> form = form(this.server.takeRequest());
		assertThat(form.toSingleValueMap()).containsEntry("grant_type", TokenExchangeTokenSource.GRANT_TYPE)
			.containsEntry("subject_token", incoming)
			.containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
			.containsEntry("scope", "orders.read")
			.containsEntry("audience", "orders-api")
			.containsEntry("resource", "https://orders.example.com")
			.doesNotContainKeys("actor_token", "actor_token_type", "requested_token_type");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer exchanged-1");
		// the key names the subject token by its fingerprint only
		TokenKey key = new TokenKey("orders", SubjectTokens.fingerprint(incoming));
		assertThat(key.subject()).doesNotContain(incoming);
		assertThat(manager[0].getCachedToken(key).getTokenValue()).isEqualTo("exchanged-1");
	}

	@Test
	void exchangeWhenSubjectJwtExpiresFirstThenExchangedTokenExpiresWithIt() {
		Instant subjectExpiry = this.clock.instant().plusSeconds(600);
		String incoming = incomingJwt(subjectExpiry);
		this.server.enqueue(json(EXCHANGED));
		this.server.enqueue(new MockResponse.Builder().body("ok").build());
		TokenManager[] manager = new TokenManager[1];
		WebClient client = resourceClient(exchange(TokenExchangeTokenSource.Settings.accessTokens()), manager);
		call(client, authentication(incoming, subjectExpiry)).block();
		AccessToken token = manager[0].getCachedToken(new TokenKey("orders", SubjectTokens.fingerprint(incoming)));
		// the server said an hour; the subject token ends in ten minutes
		assertThat(token.getExpiresAt()).isEqualTo(subjectExpiry);
	}

	@Test
	void exchangeWhenParametersAndActorThenTheyReplaceDefaultsAndActorTokenSent() throws Exception {
		Instant subjectExpiry = this.clock.instant().plusSeconds(7200);
		String incoming = incomingJwt(subjectExpiry);
		this.server.enqueue(json(EXCHANGED));
		TokenExchangeTokenSource.Settings settings = new TokenExchangeTokenSource.Settings(
				"urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:access_token",
				() -> Mono.just("actor-token-1"), "urn:ietf:params:oauth:token-type:access_token");
		TokenParameters parameters = TokenParameters.builder()
			.scopes(List.of("orders.write"))
			.audiences(List.of("billing-api", "audit-api"))
			.build();
		exchange(settings).obtain(new TokenKey("orders", this.subjectTokens.hold(incoming), parameters)).block();
		MultiValueMap<String, String> form = form(this.server.takeRequest());
		assertThat(form.get("scope")).containsExactly("orders.write");
		assertThat(form.get("audience")).containsExactly("audit-api", "billing-api");
		assertThat(form.get("resource")).containsExactly("https://orders.example.com");
		assertThat(form.getFirst("subject_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:jwt");
		assertThat(form.getFirst("requested_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
		assertThat(form.getFirst("actor_token")).isEqualTo("actor-token-1");
		assertThat(form.getFirst("actor_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
	}

	@Test
	void exchangeWhenRequestSetsParametersAttributeThenResolverCarriesThemToTheForm() throws Exception {
		Instant subjectExpiry = this.clock.instant().plusSeconds(7200);
		String incoming = incomingJwt(subjectExpiry);
		this.server.enqueue(json(EXCHANGED));
		this.server.enqueue(new MockResponse.Builder().body("ok").build());
		TokenManager[] manager = new TokenManager[1];
		WebClient client = resourceClient(exchange(TokenExchangeTokenSource.Settings.accessTokens()), manager);
		TokenParameters parameters = TokenParameters.builder()
			.scopes(List.of("orders.write"))
			.resources(List.of("https://billing.example.com"))
			.build();
		client.get()
			.uri("/orders")
			.attributes(TokenRequestAttributes.parameters(parameters))
			.retrieve()
			.bodyToMono(String.class)
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication(incoming, subjectExpiry)))
			.block();
		MultiValueMap<String, String> form = form(this.server.takeRequest());
		assertThat(form.get("scope")).containsExactly("orders.write");
		assertThat(form.get("resource")).containsExactly("https://billing.example.com");
		assertThat(form.get("audience")).containsExactly("orders-api");
		TokenKey key = new TokenKey("orders", SubjectTokens.fingerprint(incoming), parameters);
		assertThat(manager[0].getCachedToken(key).getTokenValue()).isEqualTo("exchanged-1");
	}

	@Test
	void exchangeWhenNoIncomingTokenThenTypedErrorAndNothingSent() {
		TokenManager[] manager = new TokenManager[1];
		WebClient client = resourceClient(exchange(TokenExchangeTokenSource.Settings.accessTokens()), manager);
		assertThatExceptionOfType(NoIncomingTokenException.class)
			.isThrownBy(() -> client.get().uri("/orders").retrieve().bodyToMono(String.class).block())
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("orders"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("was not sent"));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void forwardWhenIncomingTokenInReactiveContextThenSentUnchanged() throws Exception {
		String incoming = incomingJwt(this.clock.instant().plusSeconds(600));
		this.server.enqueue(new MockResponse.Builder().body("ok").build());
		WebClient client = WebClient.builder()
			.baseUrl(this.server.url("/api").toString())
			.filter(new ForwardingBearerTokenFilter("profile", IncomingBearerToken.fromRequest(),
					URI.create(this.server.url("/").toString())))
			.build();
		call(client, authentication(incoming, this.clock.instant().plusSeconds(600))).block();
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + incoming);
		assertThatExceptionOfType(NoIncomingTokenException.class)
			.isThrownBy(() -> client.get().uri("/orders").retrieve().bodyToMono(String.class).block());
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void jwtBearerWhenNoAssertionGivenThenSignsOneWithClientKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		ClientKey key = new ClientKey(generator.generateKeyPair().getPrivate(), ClientKeyAlgorithm.ES256, "k1");
		JwtBearerTokenSource source = new JwtBearerTokenSource(client(), this.subjectTokens,
				JwtBearerTokenSource.signedBy("gateway", key, "https://auth.example.com", Duration.ofSeconds(60),
						this.clock),
				List.of("orders.read"), List.of(), List.of(), Map.of(), this.clock, TokenLifetimes.DEFAULT);
		this.server.enqueue(json(EXCHANGED));
		source.obtain(TokenKey.of("orders")).block();
		MultiValueMap<String, String> form = form(this.server.takeRequest());
		assertThat(form.getFirst("grant_type")).isEqualTo(JwtBearerTokenSource.GRANT_TYPE);
		String claims = new String(Base64.getUrlDecoder().decode(form.getFirst("assertion").split("\\.")[1]),
				StandardCharsets.UTF_8);
		assertThat(claims).contains("\"iss\":\"gateway\"", "\"sub\":\"gateway\"",
				"\"aud\":\"https://auth.example.com\"");
		assertThat(form.getFirst("scope")).isEqualTo("orders.read");
	}

	@Test
	void jwtBearerWhenAssertionGivenPerCallThenSentAsIs() throws Exception {
		String assertion = incomingJwt(this.clock.instant().plusSeconds(600));
		JwtBearerTokenSource source = new JwtBearerTokenSource(client(), this.subjectTokens, null, List.of(), List.of(),
				List.of(), Map.of(), this.clock, TokenLifetimes.DEFAULT);
		TokenKey key = SubjectTokenKeyResolver.perCall(this.subjectTokens)
			.resolve(Map.of(SubjectTokenKeyResolver.SUBJECT_TOKEN, assertion), TokenKey.of("orders"));
		assertThat(key.subject()).isEqualTo(SubjectTokens.fingerprint(assertion));
		this.server.enqueue(json(EXCHANGED));
		source.obtain(key).block();
		assertThat(form(this.server.takeRequest()).getFirst("assertion")).isEqualTo(assertion);
	}

}
