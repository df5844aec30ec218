package io.tokenkit.token;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A registration's {@link TokenKeyResolver} picks the token of each request in the bearer
 * filter (from the subscriber's context) and interceptor (from the caller's thread),
 * while the request attribute still wins where the resolver says so.
 */
class TokenKeyResolverTests {

	private static final ThreadLocal<String> CURRENT_USER = new ThreadLocal<>();

	/** Reads the user from the caller's context, unless the request names one. */
	private static final TokenKeyResolver CURRENT_USER_RESOLVER = new TokenKeyResolver() {

		@Override
		public TokenKey resolve(Map<String, Object> attributes, TokenKey applicationKey) {
			if (attributes.containsKey(TokenRequestAttributes.SUBJECT)) {
				return TokenRequestAttributes.keyOf(attributes, applicationKey);
			}
			String user = CURRENT_USER.get();
			if (user == null) {
				throw new SubjectRequiredException(applicationKey.registrationId(), "no current user", null);
			}
			return TokenKey.of(applicationKey.registrationId(), user);
		}

		@Override
		public Mono<TokenKey> resolveReactive(Map<String, Object> attributes, TokenKey applicationKey) {
			if (attributes.containsKey(TokenRequestAttributes.SUBJECT)) {
				return Mono.just(TokenRequestAttributes.keyOf(attributes, applicationKey));
			}
			return Mono.deferContextual(
					(context) -> Mono.just(TokenKey.of(applicationKey.registrationId(), context.<String>get("user"))));
		}

	};

	private final TokenManager manager = new TokenManager(
			List.of(new TokenRegistration("users", new StaticTokenSource("unused"), Duration.ZERO, null,
					TokenAuthorizer.bearer(), CURRENT_USER_RESOLVER)),
			new InMemoryTokenStore(), Clock.systemUTC(), TokenEventListener.NONE, Duration.ofSeconds(5));

	private final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();

	TokenKeyResolverTests() {
		save("alice");
		save("bob");
	}

	@AfterEach
	void clearUser() {
		CURRENT_USER.remove();
	}

	@Test
	void filterWhenResolverReadsSubscriberContextThenThatUsersToken() {
		ExchangeFunction exchange = (request) -> {
			this.sent.add(request.headers().getFirst("Authorization"));
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
		BearerTokenFilters filters = new BearerTokenFilters(this.manager, TokenEventListener.NONE);
		ClientRequest request = ClientRequest.create(HttpMethod.GET, URI.create("https://api.example.com")).build();
		filters.filter("users")
			.filter(request, exchange)
			.contextWrite((context) -> context.put("user", "alice"))
			.block();
		ClientRequest named = ClientRequest.create(HttpMethod.GET, URI.create("https://api.example.com"))
			.attributes(TokenRequestAttributes.subject("bob"))
			.build();
		filters.filter("users").filter(named, exchange).contextWrite((context) -> context.put("user", "alice")).block();
		assertThat(this.sent).containsExactly("Bearer token-of-alice", "Bearer token-of-bob");
	}

	@Test
	void interceptorWhenResolverReadsCallersThreadThenThatUsersToken() throws Exception {
		ClientHttpRequestExecution execution = (request, body) -> {
			this.sent.add(request.getHeaders().getFirst("Authorization"));
			return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
		};
		BearerTokenInterceptors interceptors = new BearerTokenInterceptors(this.manager, TokenEventListener.NONE);
		CURRENT_USER.set("bob");
		interceptors.interceptor("users")
			.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("https://api.example.com")), new byte[0],
					execution);
		CURRENT_USER.remove();
		assertThatExceptionOfType(SubjectRequiredException.class).isThrownBy(() -> interceptors.interceptor("users")
			.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("https://api.example.com")), new byte[0],
					execution));
		assertThat(this.sent).containsExactly("Bearer token-of-bob");
	}

	private void save(String user) {
		this.manager
			.save(TokenKey.of("users", user),
					AccessToken.withValue("token-of-" + user)
						.issuedAt(Instant.now())
						.expiresAt(Instant.now().plusSeconds(600))
						.build())
			.block();
	}

}
