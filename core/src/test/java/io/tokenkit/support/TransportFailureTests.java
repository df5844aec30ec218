package io.tokenkit.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TransportFailure}.
 */
class TransportFailureTests {

	private static final URI URI_WITH_SECRET = URI.create("https://api.example.com/credentials?refresh-token=rt-1");

	@Test
	void ofWhenConnectionRefusedThenDescribedAndConnectExceptionKept() {
		ConnectException refused = new ConnectException("Connection refused: localhost/127.0.0.1:1");
		TransportFailure failure = TransportFailure.of(request(refused));
		assertThat(failure.getDescription()).isEqualTo("ConnectException");
		assertThat(failure.getCause()).isSameAs(refused);
	}

	@Test
	void ofWhenRootMessageMayHoldUrlThenNoCause() {
		TransportFailure failure = TransportFailure.of(request(new IOException("failed " + URI_WITH_SECRET)));
		assertThat(failure.getDescription()).isEqualTo("IOException");
		assertThat(failure.getCause()).isNull();
		assertThat(TransportFailure.of(request(new ConnectException("Connect to " + URI_WITH_SECRET + " failed")))
			.getCause()).isNull();
	}

	@Test
	void ofWhenRootHasSuppressedExceptionThenNoCause() {
		ConnectException refused = new ConnectException("Connection refused");
		refused.addSuppressed(new IllegalStateException("Request to GET " + URI_WITH_SECRET));
		assertThat(TransportFailure.of(request(refused)).getCause()).isNull();
	}

	@Test
	void ofWhenWebClientExceptionIsTheRootThenNoCause() {
		WebClientResponseException response = WebClientResponseException.create(502, "Bad Gateway", new HttpHeaders(),
				new byte[0], StandardCharsets.UTF_8);
		TransportFailure failure = TransportFailure.of(response);
		assertThat(failure.getDescription()).isEqualTo("BadGateway");
		assertThat(failure.getCause()).isNull();
	}

	@Test
	void ofWhenConnectionRefusedOrUnknownHostThenNotSent() {
		assertThat(TransportFailure.of(request(new ConnectException("Connection refused"))).isNotSent()).isTrue();
		assertThat(TransportFailure.of(request(new java.net.UnknownHostException("auth.example"))).isNotSent())
			.isTrue();
		assertThat(TransportFailure.of(request(new IOException("Connection reset"))).isNotSent()).isFalse();
	}

	@Test
	void ofWhenTimedOutThenTimeoutAndSaidSo() {
		TransportFailure failure = TransportFailure.of(new java.util.concurrent.TimeoutException("no answer"));
		assertThat(failure.isTimeout()).isTrue();
		assertThat(failure.isNotSent()).isFalse();
		assertThat(failure.describe()).isEqualTo("timed out (TimeoutException)");
		assertThat(TransportFailure.of(request(new ConnectException("Connection refused"))).describe())
			.isEqualTo("could not be reached (ConnectException)");
	}

	@Test
	void ofWhenJdkClientTimedOutOverClosedConnectionThenTimeoutNamed() {
		HttpTimeoutException timedOut = new HttpTimeoutException("request timed out");
		timedOut.initCause(new IOException("connection closed locally"));
		TransportFailure failure = TransportFailure.of(request(timedOut));
		assertThat(failure.isTimeout()).isTrue();
		assertThat(failure.describe()).isEqualTo("timed out (HttpTimeoutException)");
		assertThat(failure.getCause()).isNull();
	}

	private static WebClientRequestException request(Throwable cause) {
		HttpHeaders headers = new HttpHeaders();
		headers.setBasicAuth("app", "secret");
		return new WebClientRequestException(cause, HttpMethod.GET, URI_WITH_SECRET, headers);
	}

}
