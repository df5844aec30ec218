package io.tokenkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.redis.ExpiryWaves;
import io.tokenkit.testsupport.KeycloakAdmin;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenApiException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * TokenKit against a real Keycloak 26 (single-use refresh tokens: revokeRefreshToken on,
 * refreshTokenMaxReuse 0; access tokens of 60 s), as set up by
 * {@code /work/shared/tools/keycloak.sh}. Skipped unless the system property
 * {@code tokenkit.keycloak.token-uri} names the realm's token endpoint:
 *
 * <pre>
 * ../shared/tools/keycloak.sh 18080
 * mvn -B -o -pl autoconfigure -am test -Dtest=KeycloakCheckTests -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dtokenkit.keycloak.token-uri=http://127.0.0.1:18080/realms/tk/protocol/openid-connect/token
 * </pre>
 *
 * TokenKit calls Keycloak through a recording loopback proxy so that every token call and
 * Keycloak's exact answer can be asserted. TokenKit's clock is a {@link MutableClock}
 * (Keycloak does not check the access token's expiry on a refresh, so moving TokenKit's
 * clock past {@code expires_in} is what triggers each refresh).
 */
@EnabledIfSystemProperty(named = "tokenkit.keycloak.token-uri", matches = ".+")
class KeycloakCheckTests {

	static final String TOKEN_URI = System.getProperty("tokenkit.keycloak.token-uri");

	static final String CLIENT_ID = System.getProperty("tokenkit.keycloak.client-id", "orders-app");

	static final String CLIENT_SECRET = System.getProperty("tokenkit.keycloak.client-secret", "orders-secret-kc-1");

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	static RecordingProxy proxy;

	final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void startProxy() throws IOException {
		proxy = new RecordingProxy(URI.create(TOKEN_URI));
	}

	@AfterAll
	static void stopProxy() {
		if (proxy != null) {
			proxy.close();
		}
	}

	@BeforeEach
	void clear() {
		proxy.calls.clear();
		this.clock.set(Instant.now());
	}

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	// 1. client_credentials

	@Test
	void clientCredentialsExpiryFromExpiresInReusedWhileValidOneCallFor50ConcurrentRequests() throws Exception {
		TokenManager manager = memoryInstance("tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=" + proxy.uri(),
				"tokenkit.registrations.orders.client-id=" + CLIENT_ID,
				"tokenkit.registrations.orders.client-secret=" + CLIENT_SECRET);
		TokenKey app = TokenKey.of("orders");
		List<AccessToken> tokens = Flux.range(0, 50)
			.flatMap((i) -> manager.getToken(app).subscribeOn(Schedulers.parallel()), 50)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(tokens).hasSize(50);
		assertThat(tokens.stream().map(AccessToken::getTokenValue).distinct()).hasSize(1);
		assertThat(proxy.calls("client_credentials")).hasSize(1);
		Call call = proxy.calls("client_credentials").get(0);
		assertThat(call.status()).as(call.answer()).isEqualTo(200);
		long expiresIn = Long.parseLong(call.answerField("expires_in", "\"expires_in\":(\\d+)"));
		AccessToken token = tokens.get(0);
		// expires_in, or the JWT's exp (whole seconds) when that is earlier
		assertThat(Duration.between(token.getIssuedAt(), token.getExpiresAt()))
			.isLessThanOrEqualTo(Duration.ofSeconds(expiresIn))
			.isGreaterThan(Duration.ofSeconds(expiresIn - 1));
		assertThat(token.getTokenValue()).isEqualTo(call.answerField("access_token"));
		// reused while valid (outside the refresh window: the last quarter of 60 s)
		this.clock.set(Instant.now().plusSeconds(expiresIn / 2));
		assertThat(manager.getToken(app).block()).isEqualTo(token);
		assertThat(proxy.calls("client_credentials")).hasSize(1);
		// expired: one new call for 50 concurrent requests again
		letTokenExpire(token);
		List<AccessToken> next = Flux.range(0, 50)
			.flatMap((i) -> manager.getToken(app).subscribeOn(Schedulers.parallel()), 50)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(next.stream().map(AccessToken::getTokenValue).distinct()).hasSize(1)
			.doesNotContain(token.getTokenValue());
		assertThat(proxy.calls("client_credentials")).hasSize(2);
	}

	// 2. per-user refresh, single instance

	@Test
	void perUserRefreshSeveralTimesInARowKeepsEachRotatedRefreshToken() throws Exception {
		TokenManager manager = memoryInstance(usersRegistration());
		TokenKey alice = TokenKey.of("users", "alice");
		Map<String, String> grant = passwordGrant();
		manager.save(alice, firstToken(grant)).block();
		String expectedRefreshToken = grant.get("refresh_token");
		for (int rotation = 1; rotation <= 5; rotation++) {
			letTokenExpire(manager.getHeldToken(alice).block());
			AccessToken token = manager.getToken(alice).block(Duration.ofSeconds(20));
			List<Call> refreshes = proxy.calls("refresh_token");
			assertThat(refreshes).as("rotation %d", rotation).hasSize(rotation);
			Call call = refreshes.get(rotation - 1);
			assertThat(call.status()).as(call.answer()).isEqualTo(200);
			assertThat(call.sent("refresh_token")).as("refresh token sent in rotation %d", rotation)
				.isEqualTo(expectedRefreshToken);
			String rotated = call.answerField("refresh_token");
			assertThat(rotated).isNotEqualTo(expectedRefreshToken);
			assertThat(token.getTokenValue()).isEqualTo(call.answerField("access_token"));
			assertThat(token.getRefreshToken()).isEqualTo(rotated);
			assertThat(manager.getHeldToken(alice).block().getRefreshToken()).isEqualTo(rotated);
			expectedRefreshToken = rotated;
		}
		assertThat(proxy.calls()).noneMatch((c) -> c.answer().contains("invalid_grant"));
	}

	// 2. per-user refresh, three instances on one Redis

	@Test
	void threeInstancesOnOneRedisRefreshingOneUserAtOnceThenOneRefreshPerRotationNoInvalidGrant() throws Exception {
		for (int i = 0; i < 3; i++) {
			ConfigurableApplicationContext context = TokenKitInstances.start(redisServer.port(), proxy.uri(),
					this.clock, "tokenkit.registrations.orders.client-id=" + CLIENT_ID,
					"tokenkit.registrations.orders.client-secret=" + CLIENT_SECRET,
					"tokenkit.registrations.users.client-id=" + CLIENT_ID,
					"tokenkit.registrations.users.client-secret=" + CLIENT_SECRET,
					"tokenkit.store.subject-key=test-subject-key-0123456789abcdef",
					"tokenkit.store.redis.lease-time=5s", "tokenkit.allow-insecure-http=true");
			this.contexts.add(context);
		}
		ReactiveStringRedisTemplate redis = this.contexts.get(0).getBean(ReactiveStringRedisTemplate.class);
		redis.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis.convertAndSend("tokenkit:changes", "X 0 nothing").block() >= 3);
		TokenKey alice = TokenKey.of("users", "alice");
		Map<String, String> grant = passwordGrant();
		String sessionId = grant.get("session_state");
		manager(0).save(alice, firstToken(grant)).block();
		String expectedRefreshToken = grant.get("refresh_token");
		int rotations = 6;
		for (int rotation = 1; rotation <= rotations; rotation++) {
			letTokenExpire(manager(rotation % 3).getHeldToken(alice).block());
			List<AccessToken> tokens = Flux.range(0, 30)
				.flatMap((i) -> manager(i % 3).getToken(alice).subscribeOn(Schedulers.parallel()), 30)
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(tokens).hasSize(30);
			List<Call> refreshes = proxy.calls("refresh_token");
			assertThat(refreshes).as("refresh calls after rotation %d", rotation).hasSize(rotation);
			Call call = refreshes.get(rotation - 1);
			assertThat(call.status()).as(call.answer()).isEqualTo(200);
			assertThat(call.sent("refresh_token")).isEqualTo(expectedRefreshToken);
			assertThat(tokens.stream().map(AccessToken::getTokenValue).distinct())
				.containsExactly(call.answerField("access_token"));
			expectedRefreshToken = call.answerField("refresh_token");
		}
		assertThat(proxy.calls()).noneMatch((c) -> c.answer().contains("invalid_grant"));
		assertThat(proxy.calls("refresh_token").stream().map((c) -> c.sent("refresh_token")).distinct())
			.as("no refresh token redeemed twice")
			.hasSize(rotations);
		// the user's session in Keycloak is still alive: it is listed, and the latest
		// refresh token (held by TokenKit) still refreshes
		assertThat(userSessionIds("alice")).contains(sessionId);
		letTokenExpire(manager(1).getHeldToken(alice).block());
		assertThat(manager(1).getToken(alice).block(Duration.ofSeconds(20))).isNotNull();
		assertThat(proxy.calls("refresh_token")).hasSize(rotations + 1).allMatch((c) -> c.status() == 200);
	}

	@Test
	void threeInstancesOnOneRedisWith15sTokensAnd300RequestsEachJustAfterExpiryThenOneTokenCallPerExpiry()
			throws Exception {
		for (int i = 0; i < 3; i++) {
			// Keycloak's 60 s tokens held as 15 s ones: their Redis keys really expire
			// after 15 s, on the system clock
			this.contexts.add(TokenKitInstances.start(redisServer.port(), proxy.uri(), Clock.systemUTC(),
					"tokenkit.registrations.orders.client-id=" + CLIENT_ID,
					"tokenkit.registrations.orders.client-secret=" + CLIENT_SECRET, "tokenkit.token-lifetime.max=15s",
					"tokenkit.token-lifetime.default=15s", "tokenkit.store.redis.key-prefix=kc-expiry:",
					"tokenkit.allow-insecure-http=true"));
		}
		ReactiveStringRedisTemplate redis = this.contexts.get(0).getBean(ReactiveStringRedisTemplate.class);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis.convertAndSend("kc-expiry:changes", "X 0 nothing").block() >= 3);
		List<TokenManager> managers = List.of(manager(0), manager(1), manager(2));
		ExpiryWaves waves = new ExpiryWaves(managers, Duration.ofMillis(50), Duration.ZERO, 300);
		List<Integer> calls = waves.run(TokenKey.of("orders"), () -> proxy.calls("client_credentials").size(), 2);
		assertThat(calls).as("token calls per expiry: %s", waves.log()).containsExactly(1, 1);
		assertThat(proxy.calls("client_credentials")).allMatch((call) -> call.status() == 200);
		for (TokenManager manager : managers) {
			assertThat(manager.getCachedToken(TokenKey.of("orders"))).isNotNull();
		}
	}

	// 3. Keycloak's error answers

	@Test
	void refreshTokenReusedAfterRotationThenReauthorizationRequired() throws Exception {
		TokenManager manager = memoryInstance(usersRegistration());
		TokenKey bob = TokenKey.of("users", "alice-reuse");
		Map<String, String> grant = passwordGrant();
		AccessToken first = firstToken(grant);
		manager.save(bob, first).block();
		letTokenExpire(first);
		assertThat(manager.getToken(bob).block(Duration.ofSeconds(20)).getRefreshToken())
			.isNotEqualTo(first.getRefreshToken());
		// the first (now rotated-away) refresh token, saved again, as a stale copy would
		// be
		manager.save(bob, first.mutate().expiresAt(this.clock.instant().minusSeconds(1)).build()).block();
		Throwable failure = catchThrowable(() -> manager.getToken(bob).block(Duration.ofSeconds(20)));
		Call call = proxy.calls("refresh_token").get(1);
		System.out.println("Keycloak's answer to a reused refresh token: " + call.status() + " " + call.answer());
		assertThat(call.status()).isEqualTo(400);
		assertThat(call.answerField("error")).isEqualTo("invalid_grant");
		assertThat(failure).isInstanceOf(ReauthorizationRequiredException.class);
		System.out.println("Session of the reused refresh token still listed by Keycloak: "
				+ userSessionIds("alice").contains(grant.get("session_state")));
		System.out.println("TokenKit: " + failure);
		TokenApiException api = findCause(failure, TokenApiException.class);
		assertThat(api).isInstanceOf(OAuth2TokenException.class);
		assertThat(api.isReauthorizationRequired()).isTrue();
		assertThat(((OAuth2TokenException) api).getError()).isEqualTo("invalid_grant");
		assertThat(failure.getMessage()).doesNotContain(first.getRefreshToken()).doesNotContain("alice-reuse");
		// no second call: a dead refresh token is not tried again
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> manager.getToken(bob).block(Duration.ofSeconds(20)));
		assertThat(proxy.calls("refresh_token")).hasSize(2);
	}

	@Test
	void refreshWhenThisClockIsAheadOfKeycloaksThenTheAnswerAndItsRotatedRefreshTokenAreKept() throws Exception {
		TokenManager manager = memoryInstance(usersRegistration());
		TokenKey carol = TokenKey.of("users", "alice-skew");
		Map<String, String> grant = passwordGrant();
		manager.save(carol, firstToken(grant).mutate().expiresAt(this.clock.instant()).build()).block();
		// this host's clock 59.5 s ahead of Keycloak's: the answered JWT's exp (60 s) has
		// all but passed here, while expires_in (60) counts from sending
		this.clock.set(Instant.now().plusMillis(59_500));
		Throwable skewed = catchThrowable(() -> manager.getToken(carol).block(Duration.ofSeconds(20)));
		System.out.println("TokenKit, clock ahead: " + skewed);
		assertThat(skewed).isNull();
		assertThat(proxy.calls("refresh_token")).hasSize(1).allMatch((c) -> c.status() == 200);
		assertThat(manager.getHeldToken(carol).block().getRefreshToken())
			.isEqualTo(proxy.calls("refresh_token").get(0).answerField("refresh_token"));
		// once that token has expired on this clock, the next refresh sends the refresh
		// token Keycloak rotated to, which Keycloak accepts
		this.clock.set(Instant.now().plusSeconds(125));
		Throwable next = catchThrowable(() -> manager.getToken(carol).block(Duration.ofSeconds(20)));
		List<Call> refreshes = proxy.calls("refresh_token");
		Call last = refreshes.get(refreshes.size() - 1);
		System.out.println("TokenKit, next refresh: " + next + "; Keycloak answered " + last.status() + " "
				+ ((last.status() == 200) ? "(tokens)" : last.answer()));
		assertThat(next).isNull();
		assertThat(refreshes).hasSize(2).allMatch((c) -> c.status() == 200);
		assertThat(refreshes.get(1).sent("refresh_token")).isEqualTo(refreshes.get(0).answerField("refresh_token"));
	}

	@Test
	void wrongClientSecretThenTypedErrorNamingTheRegistrationWithoutTheSecret() {
		String wrongSecret = "wrong-secret-3f9a1c";
		TokenManager manager = memoryInstance("tokenkit.registrations.orders-bad.grant-type=client_credentials",
				"tokenkit.registrations.orders-bad.token-uri=" + proxy.uri(),
				"tokenkit.registrations.orders-bad.client-id=" + CLIENT_ID,
				"tokenkit.registrations.orders-bad.client-secret=" + wrongSecret);
		Throwable failure = catchThrowable(() -> manager.getToken(TokenKey.of("orders-bad")).block());
		Call call = proxy.calls("client_credentials").get(0);
		System.out.println("Keycloak's answer to a wrong client secret: " + call.status() + " " + call.answer());
		System.out.println("TokenKit: " + failure);
		assertThat(call.status()).isEqualTo(401);
		OAuth2TokenException api = findCause(failure, OAuth2TokenException.class);
		assertThat(api).isNotNull();
		assertThat(api.getRegistrationId()).isEqualTo("orders-bad");
		assertThat(api.getError()).isEqualTo(call.answerField("error"));
		assertThat(api.isReauthorizationRequired()).isFalse();
		assertThat(failure.getMessage()).contains("orders-bad").doesNotContain(wrongSecret);
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(wrongSecret);
			assertThat(cause.toString()).doesNotContain(wrongSecret);
		}
	}

	/**
	 * Move TokenKit's clock past the token's expiry while staying behind Keycloak's clock
	 * by more than the one second TokenKit requires between a request and the {@code exp}
	 * of the JWT answered: real time passes 5 s, and TokenKit's clock is set 56 s ahead
	 * of it (Keycloak's tokens live 60 s from their real issue time).
	 */
	private void letTokenExpire(AccessToken token) throws InterruptedException {
		// real time: Keycloak checks each token's exp against its own clock
		Thread.sleep(5000);
		this.clock.set(Instant.now().plusSeconds(56));
		assertThat(token.getExpiresAt()).as("TokenKit's clock is past the token's expiry")
			.isBefore(this.clock.instant());
	}

	private TokenManager manager(int index) {
		return this.contexts.get(index).getBean(TokenManager.class);
	}

	private String[] usersRegistration() {
		return new String[] { "tokenkit.registrations.users.grant-type=refresh_token",
				"tokenkit.registrations.users.token-uri=" + proxy.uri(),
				"tokenkit.registrations.users.client-id=" + CLIENT_ID,
				"tokenkit.registrations.users.client-secret=" + CLIENT_SECRET };
	}

	private TokenManager memoryInstance(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("tokenkit.allow-insecure-http=true");
		all.add("spring.main.banner-mode=off");
		Clock clock = this.clock;
		ConfigurableApplicationContext context = new SpringApplicationBuilder(MemoryInstance.class)
			.web(WebApplicationType.NONE)
			.initializers((c) -> c.getBeanFactory().registerSingleton("clock", clock))
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context.getBean(TokenManager.class);
	}

	/** The user's tokens as an application would save them after authorization. */
	private AccessToken firstToken(Map<String, String> grant) {
		return AccessToken.withValue(grant.get("access_token"))
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(Long.parseLong(grant.get("expires_in"))))
			.refreshToken(grant.get("refresh_token"))
			.build();
	}

	/** Keycloak's direct grant for alice, straight to Keycloak (not recorded). */
	private static Map<String, String> passwordGrant() throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(TOKEN_URI))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(KeycloakAdmin.form(Map.of("grant_type", "password", "client_id", CLIENT_ID, "client_secret",
						CLIENT_SECRET, "username", "alice", "password", "alice-pw", "scope", "openid"))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, String> fields = new LinkedHashMap<>();
		for (String name : List.of("access_token", "refresh_token", "session_state")) {
			fields.put(name, field(response.body(), name));
		}
		fields.put("expires_in", match(response.body(), "\"expires_in\":(\\d+)"));
		return fields;
	}

	/** The ids of a user's sessions, from Keycloak's admin API. */
	private static List<String> userSessionIds(String username) throws Exception {
		KeycloakAdmin admin = new KeycloakAdmin(TOKEN_URI.substring(0, TOKEN_URI.indexOf("/protocol/")));
		String userId = field(admin.send("GET", "/users?exact=true&username=" + username, null), "id");
		String sessions = admin.send("GET", "/users/" + userId + "/sessions", null);
		List<String> ids = new ArrayList<>();
		Matcher matcher = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(sessions);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	static String field(String json, String name) {
		return match(json, "\"" + Pattern.quote(name) + "\":\"([^\"]*)\"");
	}

	static String match(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
			WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class })
	static class MemoryInstance {

	}

	/** One token call as it went to Keycloak and came back. */
	record Call(Map<String, String> sentForm, int status, String answer) {

		String sent(String name) {
			return this.sentForm.get(name);
		}

		String answerField(String name) {
			return field(this.answer, name);
		}

		String answerField(String name, String regex) {
			return match(this.answer, regex);
		}

	}

	/**
	 * A loopback proxy in front of Keycloak's token endpoint that records each call and
	 * Keycloak's answer.
	 */
	static final class RecordingProxy implements AutoCloseable {

		final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

		private final HttpServer server;

		private final ExecutorService executor = Executors.newFixedThreadPool(16);

		private final URI target;

		RecordingProxy(URI target) throws IOException {
			this.target = target;
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/", this::forward);
			this.server.setExecutor(this.executor);
			this.server.start();
		}

		String uri() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/token";
		}

		List<Call> calls() {
			synchronized (this.calls) {
				return List.copyOf(this.calls);
			}
		}

		List<Call> calls(String grantType) {
			return calls().stream().filter((call) -> grantType.equals(call.sent("grant_type"))).toList();
		}

		private void forward(HttpExchange exchange) throws IOException {
			try {
				byte[] body;
				try (InputStream in = exchange.getRequestBody()) {
					body = in.readAllBytes();
				}
				HttpRequest.Builder request = HttpRequest.newBuilder(this.target)
					.POST(HttpRequest.BodyPublishers.ofByteArray(body));
				for (String header : List.of("Content-Type", "Authorization", "Accept")) {
					String value = exchange.getRequestHeaders().getFirst(header);
					if (value != null) {
						request.header(header, value);
					}
				}
				HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
				Map<String, String> sent = new LinkedHashMap<>();
				for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
					int eq = pair.indexOf('=');
					if (eq > 0) {
						sent.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
								URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
					}
				}
				this.calls
					.add(new Call(sent, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8)));
				response.headers()
					.firstValue("Content-Type")
					.ifPresent((type) -> exchange.getResponseHeaders().set("Content-Type", type));
				exchange.sendResponseHeaders(response.statusCode(), response.body().length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(response.body());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				exchange.close();
			}
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.executor.shutdownNow();
		}

	}

}
