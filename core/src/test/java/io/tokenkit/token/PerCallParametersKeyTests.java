package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.ParameterTokenEndpoint;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key with parameters gets a token issued for them and nothing else, whatever the
 * registration's additional parameters or how its scopes are spelled, and is kept in
 * memory within the store's bounds.
 */
class PerCallParametersKeyTests {

	private static final TokenKey ORDERS = TokenKey.of("orders");

	private static final TokenParameters READ = TokenParameters.scopes("orders.read");

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private ParameterTokenEndpoint endpoint;

	@BeforeEach
	void start() throws Exception {
		this.endpoint = new ParameterTokenEndpoint();
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void additionalParameterNamedScopeThenPerCallScopeStillAsked() {
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(), this.endpoint.tokenUri(), "app", "secret",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP);
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client, List.of(),
				Map.of("scope", "admin"), this.clock);
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(20));
		AccessToken token = manager.getToken(ORDERS.withParameters(READ)).block();
		assertThat(this.endpoint.issuedFor(token.getTokenValue()).getScopes()).containsExactly("orders.read");
	}

	@Test
	void spaceSeparatedScopesThenSameParametersAsScopesApart() {
		assertThat(TokenParameters.scopes("a b")).isEqualTo(TokenParameters.scopes("a", "b"))
			.isEqualTo(TokenParameters.scopes(" b  a "));
		assertThat(TokenParameters.scopes("a b").getScopes()).containsExactly("a", "b");
		TokenManager manager = this.endpoint.manager(this.clock);
		manager.getToken(ORDERS.withParameters(TokenParameters.scopes("a b"))).block();
		manager.getToken(ORDERS.withParameters(TokenParameters.scopes("b a"))).block();
		manager.getToken(ORDERS.withParameters(TokenParameters.scopes("a", "b"))).block();
		assertThat(this.endpoint.tokenCalls()).isOne();
	}

	@Test
	void applicationKeysWithParametersThenSweptAndBounded() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 10);
		store.save(ORDERS, token("defaults", Duration.ofMinutes(1))).block();
		for (int i = 0; i < 1000; i++) {
			TokenParameters tenant = TokenParameters.builder()
				.resources(List.of("https://tenant-" + i + ".example/"))
				.build();
			store.save(ORDERS.withParameters(tenant), token("t" + i, Duration.ofMinutes(5))).block();
		}
		this.clock.advance(Duration.ofMinutes(10));
		store.save(ORDERS.withParameters(TokenParameters.scopes("x")), token("late", Duration.ofMinutes(5))).block();
		AtomicInteger held = new AtomicInteger();
		store.forEachToken((key, token) -> held.incrementAndGet());
		assertThat(held.get()).isLessThanOrEqualTo(20);
		// the application's key with the registration's defaults is kept, expired or not
		assertThat(store.get(ORDERS)).isNotNull();
	}

	private AccessToken token(String value, Duration lifetime) {
		Instant now = this.clock.instant();
		return AccessToken.withValue(value).issuedAt(now).expiresAt(now.plus(lifetime)).scopes(Set.of()).build();
	}

}
