package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client assertions ({@code private_key_jwt} with each algorithm,
 * {@code client_secret_jwt}) and JWT-bearer assertions under BlockHound, with Reactor
 * Netty on loopback: the first attempt of a token call is signed on a Reactor thread, and
 * its retry after a {@code 503} on the timer's Reactor thread, and signing never blocks
 * (no read of {@code /dev/urandom} for the {@code jti}, ECDSA's {@code k} or PSS's salt).
 * Runs in the {@code blockhound} Surefire execution.
 */
class ClientAssertionBlockHoundTests {

	private static final String TOKEN_JSON = """
			{"access_token":"at-1","token_type":"Bearer","expires_in":3600}""";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(TOKEN_JSON)
			.build());
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource(ClientKeyAlgorithm.class)
	void privateKeyJwtWhenRetriedOnReactorThreadsThenSignedWithoutBlocking(ClientKeyAlgorithm algorithm)
			throws Exception {
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt("orders-app", key(algorithm),
				tokenUri().toString(), Duration.ofSeconds(60), this.clock);
		assertThat(call(client(authentication).request("acquire", form())).accessToken()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void clientSecretJwtWhenRetriedOnReactorThreadsThenSignedWithoutBlocking() {
		ClientAuthentication authentication = ClientAuthentication.clientSecretJwt("orders-app",
				"0123456789abcdef0123456789abcdef-hs256", tokenUri().toString(), Duration.ofSeconds(60), this.clock);
		assertThat(call(client(authentication).request("acquire", form())).accessToken()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(value = ClientKeyAlgorithm.class, names = { "PS256", "ES256" })
	void jwtBearerWhenRetriedOnReactorThreadsThenAssertionSignedWithoutBlocking(ClientKeyAlgorithm algorithm)
			throws Exception {
		ClientKey key = key(algorithm);
		JwtBearerTokenSource source = new JwtBearerTokenSource(
				client(ClientAuthentication.privateKeyJwt("orders-app", key, tokenUri().toString(),
						Duration.ofSeconds(60), this.clock)),
				new SubjectTokens(this.clock), JwtBearerTokenSource.signedBy("orders-app", key, tokenUri().toString(),
						Duration.ofSeconds(60), this.clock),
				List.of(), List.of(), List.of(), Map.of(), this.clock, TokenLifetimes.DEFAULT);
		AccessToken token = call(source.obtain(TokenKey.of("orders")));
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	private static <T> T call(Mono<T> call) {
		return call.subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
	}

	private static ClientKey key(ClientKeyAlgorithm algorithm) throws Exception {
		return new ClientKey(ClientAssertionWireTests.keyPair(algorithm).getPrivate(), algorithm, "key-1");
	}

	private OAuth2TokenClient client(ClientAuthentication authentication) {
		return ClientAssertionWireTests.client(authentication, tokenUri());
	}

	private URI tokenUri() {
		return URI.create(this.server.url("/oauth2/token").toString());
	}

	private static MultiValueMap<String, String> form() {
		return ClientAssertionWireTests.form();
	}

}
