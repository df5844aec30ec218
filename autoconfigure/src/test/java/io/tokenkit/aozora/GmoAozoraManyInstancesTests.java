package io.tokenkit.aozora;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.aozora.GmoAozoraIdTokenException.Check;
import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;
import io.tokenkit.redis.RedisOneTimeValueStore;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.OneTimeValueStore;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.client.ReactorResourceFactory;

import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.ISSUER;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.idToken;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static io.tokenkit.aozora.AozoraTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two instances of one application, each an application context configured by properties
 * with {@code tokenkit.store.type=redis}, on one real {@code redis-server}: the OpenID
 * Connect callback of an authorization URL built by one instance lands on the other.
 */
class GmoAozoraManyInstancesTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final String SESSION = "session-42";

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private MockWebServer bank;

	@BeforeEach
	void start() throws IOException {
		this.bank = new MockWebServer();
		this.bank.start();
		this.instances.add(instance());
		this.instances.add(instance());
		template(0).execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		// each instance's first Redis call opens its connection
		for (int i = 0; i < this.instances.size(); i++) {
			template(i).execute((connection) -> connection.ping()).blockLast();
		}
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
		this.bank.close();
	}

	@Test
	void openIdCallbackWhenItLandsOnTheOtherInstanceThenAcceptedOnceAndItsReplayRefusedOnBoth() throws Exception {
		URI uri = client(0).openIdAuthorizationUri(SESSION).block(Duration.ofSeconds(5));
		Map<String, String> parameters = query(uri);
		String answer = tokenJson(idToken(Instant.now(), parameters.get("nonce")));
		for (int i = 0; i < 3; i++) {
			this.bank.enqueue(json(200, answer));
		}
		Map<String, String> callback = Map.of("code", "code-1", "state", parameters.get("state"));

		GmoAozoraOpenIdTokens tokens = client(1).completeOpenIdAuthorization(SESSION, callback)
			.block(Duration.ofSeconds(10));
		assertThat(tokens.token().getTokenValue()).isEqualTo("at-1");
		assertThat(tokens.idToken().subject()).isEqualTo("customer-1");
		RecordedRequest exchange = this.bank.takeRequest();
		assertThat(exchange.getTarget()).isEqualTo("/ganb/api/auth/v1/token");
		assertThat(form(exchange)).containsEntry("grant_type", "authorization_code").containsEntry("code", "code-1");

		for (int i : new int[] { 1, 0 }) {
			assertThatExceptionOfType(GmoAozoraIdTokenException.class).as("replay on instance %d", i)
				.isThrownBy(
						() -> client(i).completeOpenIdAuthorization(SESSION, callback).block(Duration.ofSeconds(10)))
				.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.NONCE));
		}
	}

	@Test
	void nonceStoreBeansWhenOneInstanceSavesThenTheOtherConsumesOnceAndNoRedisKeyHoldsTheNonce() {
		for (int i = 0; i < this.instances.size(); i++) {
			assertThat(this.instances.get(i).getBean(OneTimeValueStore.class))
				.isInstanceOf(RedisOneTimeValueStore.class);
			assertThat(nonces(i)).isInstanceOf(OneTimeValueNonceStore.class);
		}
		URI uri = client(0).openIdAuthorizationUri(SESSION).block(Duration.ofSeconds(5));
		String nonce = query(uri).get("nonce");
		List<String> keys = template(0).keys("*").collectList().block(Duration.ofSeconds(5));
		assertThat(keys).singleElement()
			.asString()
			.matches("many:one-time:gmo-aozora-nonce:[0-9a-f]{64}")
			.doesNotContain(nonce);
		Duration ttl = template(0).getExpire(keys.get(0)).block(Duration.ofSeconds(5));
		assertThat(ttl).as("tokenkit.gmo-aozora.nonce-time-to-live")
			.isPositive()
			.isLessThanOrEqualTo(Duration.ofMinutes(3));

		assertThat(nonces(1).consume(nonce).block(Duration.ofSeconds(5))).isTrue();
		assertThat(nonces(1).consume(nonce).block(Duration.ofSeconds(5))).isFalse();
		assertThat(nonces(0).consume(nonce).block(Duration.ofSeconds(5))).isFalse();
		assertThat(nonces(0).consume("never-issued").block(Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void nonceStoreBeansWhen50ConcurrentConsumersOnBothInstancesThenExactlyOneAcceptsTheNonce() {
		for (int round = 0; round < 10; round++) {
			URI uri = client(round % 2).openIdAuthorizationUri(SESSION).block(Duration.ofSeconds(5));
			String nonce = query(uri).get("nonce");
			List<Boolean> answers = Flux.range(0, 50)
				.flatMap((i) -> Mono.defer(() -> nonces(i % 2).consume(nonce)).subscribeOn(Schedulers.parallel()))
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(answers).as("round %d", round).hasSize(50).containsOnlyOnce(true);
		}
	}

	private static String tokenJson(String idToken) {
		return """
				{"access_token":"at-1","refresh_token":"rt-1","scope":"openid private:account",\
				"token_type":"Bearer","expires_in":"2592000","id_token":"%s"}""".formatted(idToken);
	}

	private GmoAozoraClient client(int index) {
		return this.instances.get(index).getBean(GmoAozoraClient.class);
	}

	private NonceStore nonces(int index) {
		return this.instances.get(index).getBean(NonceStore.class);
	}

	private ReactiveStringRedisTemplate template(int index) {
		return this.instances.get(index).getBean(ReactiveStringRedisTemplate.class);
	}

	private ConfigurableApplicationContext instance() {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + redisServer.port(), "tokenkit.store.type=redis",
					"tokenkit.store.redis.key-prefix=many:",
					"tokenkit.store.subject-key=test-subject-key-0123456789abcdef", "tokenkit.allow-insecure-http=true",
					"tokenkit.gmo-aozora.client-id=" + CLIENT_ID, "tokenkit.gmo-aozora.client-secret=" + CLIENT_SECRET,
					"tokenkit.gmo-aozora.base-url=" + this.bank.url("/ganb/api/auth/v1"),
					"tokenkit.gmo-aozora.issuer=" + ISSUER,
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
					"tokenkit.gmo-aozora.state-salt=pepper-salt", "tokenkit.gmo-aozora.scopes=openid,private:account",
					"tokenkit.gmo-aozora.nonce-time-to-live=3m", "spring.main.banner-mode=off")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
			HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
			WebClientAutoConfiguration.class, TokenKitRedisAutoConfiguration.class, GmoAozoraAutoConfiguration.class,
			TokenKitAutoConfiguration.class })
	static class Instance {

		/** Each instance its own event loops: closing one must not stop the others'. */
		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

}
