package io.tokenkit.propagation;

import java.net.URI;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Forwarding sends the incoming token to the origin of the client's base URL only: a
 * request to another absolute URI fails with a typed error and is never sent.
 */
class ForwardingOriginTests {

	private final MockWebServer own = new MockWebServer();

	private final MockWebServer other = new MockWebServer();

	private final IncomingBearerToken incoming = () -> "incoming-token";

	@BeforeEach
	void start() throws Exception {
		this.own.start();
		this.other.start();
	}

	@AfterEach
	void stop() {
		this.own.close();
		this.other.close();
	}

	private URI base() {
		return URI.create(this.own.url("/api").toString());
	}

	@Test
	void webClientWhenRequestGoesToAnotherOriginThenRefusedAndNotSent() throws Exception {
		this.own.enqueue(new MockResponse.Builder().body("ok").build());
		WebClient client = WebClient.builder()
			.baseUrl(base().toString())
			.filter(new ForwardingBearerTokenFilter("profile", this.incoming, base()))
			.build();
		assertThat(client.get().uri("/me").retrieve().bodyToMono(String.class).block()).isEqualTo("ok");
		assertThat(this.own.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer incoming-token");
		assertThatExceptionOfType(ForwardingRefusedException.class)
			.isThrownBy(
					() -> client.get().uri(this.other.url("/steal").uri()).retrieve().bodyToMono(String.class).block())
			.satisfies((ex) -> assertThat(ex.getClientName()).isEqualTo("profile"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("was not sent").doesNotContain("incoming-token"));
		assertThat(this.other.getRequestCount()).isZero();
	}

	@Test
	void restClientWhenRequestGoesToAnotherOriginThenRefusedAndNotSent() throws Exception {
		this.own.enqueue(new MockResponse.Builder().body("ok").build());
		RestClient client = RestClient.builder()
			.baseUrl(base().toString())
			.requestInterceptor(new ForwardingBearerTokenInterceptor("profile", this.incoming, base()))
			.build();
		assertThat(client.get().uri("/me").retrieve().body(String.class)).isEqualTo("ok");
		assertThat(this.own.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer incoming-token");
		assertThatExceptionOfType(ForwardingRefusedException.class)
			.isThrownBy(() -> client.get().uri(this.other.url("/steal").uri()).retrieve().body(String.class));
		assertThat(this.other.getRequestCount()).isZero();
	}

}
