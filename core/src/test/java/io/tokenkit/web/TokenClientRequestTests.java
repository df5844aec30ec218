package io.tokenkit.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenClientRequestTests {

	private static final URI URL = URI.create("https://api.example.com/orders?page=2");

	private final ClientRequest original = ClientRequest.create(HttpMethod.POST, URL)
		.header("Authorization", "Basic b2xkOm9sZA==")
		.header("X-Trace", "trace-1")
		.cookie("session", "s-1")
		.attribute("name", "value")
		.body(BodyInserters.fromValue("order=42"))
		.build();

	private final TokenClientRequest view = new TokenClientRequest(this.original, TokenAuthorizer.bearer(),
			AccessToken.withValue("token-1").build());

	@Test
	void writeToWhenRequestHasHeaderOfSameNameThenWireCarriesOnlyTheTokenAndEverythingElse() {
		MockClientHttpRequest wire = new MockClientHttpRequest(HttpMethod.POST, URL);
		this.view.writeTo(wire, ExchangeStrategies.withDefaults()).block(Duration.ofSeconds(5));
		assertThat(wire.getHeaders().get("Authorization")).containsExactly("Bearer token-1");
		assertThat(wire.getHeaders().get("X-Trace")).containsExactly("trace-1");
		assertThat(wire.getCookies().getFirst("session").getValue()).isEqualTo("s-1");
		assertThat(wire.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("order=42");
	}

	@Test
	void headersWhenReadThenShowTheTokenWithoutChangingTheOriginalRequest() {
		assertThat(this.view.headers().get("Authorization")).containsExactly("Bearer token-1");
		assertThat(this.view.headers().get("X-Trace")).containsExactly("trace-1");
		assertThat(this.original.headers().get("Authorization")).containsExactly("Basic b2xkOm9sZA==");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.view.headers().set("X-Other", "x"));
	}

	@Test
	void accessorsWhenReadThenComeFromTheOriginalRequest() {
		assertThat(this.view.method()).isEqualTo(HttpMethod.POST);
		assertThat(this.view.url()).isEqualTo(URL);
		assertThat(this.view.cookies().get("session")).isEqualTo(List.of("s-1"));
		assertThat(this.view.attribute("name")).contains("value");
		assertThat(this.view.logPrefix()).isEqualTo(this.original.logPrefix());
		assertThat(this.view.body()).isSameAs(this.original.body());
	}

	@Test
	void writeToWhenDownstreamFilterCopiesTheViewThenTheCopyStillSendsTheToken() {
		ClientRequest copy = ClientRequest.from(this.view).header("X-Added", "added").build();
		MockClientHttpRequest wire = new MockClientHttpRequest(HttpMethod.POST, URL);
		copy.writeTo(wire, ExchangeStrategies.withDefaults()).block(Duration.ofSeconds(5));
		assertThat(wire.getHeaders().get("Authorization")).containsExactly("Bearer token-1");
		assertThat(wire.getHeaders().get("X-Added")).containsExactly("added");
		assertThat(wire.getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo("order=42");
	}

}
