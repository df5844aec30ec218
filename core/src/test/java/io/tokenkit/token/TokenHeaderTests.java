package io.tokenkit.token;

import java.net.URI;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenHeader} and {@link TokenAuthorizer#bearer()}.
 */
class TokenHeaderTests {

	private static final TokenSource SOURCE = (key) -> Mono.empty();

	@Test
	void registrationsWithTheSameIdAndSourceAreEqual() {
		assertThat(TokenRegistration.of("a", SOURCE)).isEqualTo(TokenRegistration.of("a", SOURCE))
			.hasSameHashCodeAs(TokenRegistration.of("a", SOURCE));
	}

	@Test
	void bearerIsAlwaysTheSameAuthorizer() {
		assertThat(TokenAuthorizer.bearer()).isSameAs(TokenAuthorizer.bearer());
	}

	@Test
	void headersWithTheSameNameAndFormatAreEqual() {
		assertThat(TokenHeader.of("x-access-token", "T {token};"))
			.isEqualTo(TokenHeader.of("x-access-token", "T {token};"))
			.hasSameHashCodeAs(TokenHeader.of("x-access-token", "T {token};"));
		assertThat(TokenAuthorizer.bearer()).isEqualTo(TokenHeader.of(HttpHeaders.AUTHORIZATION, "Bearer {token}"));
		assertThat(TokenHeader.of("x-access-token", "T {token};")).isNotEqualTo(TokenHeader.of("x-token", "T {token};"))
			.isNotEqualTo(TokenHeader.of("x-access-token", "T{token};"))
			.isNotEqualTo(TokenHeader.of("x-access-token", "T {token}"));
	}

	@Test
	void equalHeadersEachSetTheirOwnFormat() {
		AccessToken token = AccessToken.withValue("abc").build();
		TokenHeader first = TokenHeader.of("x-access-token", "{token}");
		TokenHeader second = TokenHeader.of("x-access-token", "{token}");
		HttpHeaders headers = new HttpHeaders();
		first.authorize(token, HttpMethod.GET, URI.create("https://example.com"), headers);
		second.authorize(token, HttpMethod.GET, URI.create("https://example.com"), headers);
		TokenHeader.of("x-access-token", "Token {token}")
			.authorize(token, HttpMethod.GET, URI.create("https://example.com"), headers);
		assertThat(headers.getFirst("x-access-token")).isEqualTo("Token abc");
	}

}
