package io.tokenkit.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A {@link WebClient.Builder} whose requests never leave the JVM: each is answered with
 * the status, content type and body bytes set last, after an optional action (such as
 * moving a {@link MutableClock}, as a slow server would).
 */
public final class StubAnswers {

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int status = 200;

	private volatile String contentType = "application/json";

	private volatile byte[] body = new byte[0];

	private volatile Runnable beforeAnswer = () -> {
	};

	/**
	 * Answer the next requests with the given status, content type and body.
	 * @param status the status
	 * @param contentType the content type, or {@code null} for none
	 * @param body the body bytes
	 * @return this
	 */
	public StubAnswers answer(int status, String contentType, byte[] body) {
		this.status = status;
		this.contentType = contentType;
		this.body = body.clone();
		return this;
	}

	/**
	 * Answer the next requests with a {@code 200} JSON body.
	 * @param json the body
	 * @return this
	 */
	public StubAnswers answerJson(String json) {
		return answer(200, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * Run an action when a request arrives, before it is answered.
	 * @param action the action
	 * @return this
	 */
	public StubAnswers beforeAnswer(Runnable action) {
		this.beforeAnswer = action;
		return this;
	}

	/**
	 * Return the number of requests answered.
	 * @return the count
	 */
	public int requestCount() {
		return this.requests.get();
	}

	/**
	 * Return the exchange function.
	 * @return the exchange function
	 */
	public ExchangeFunction exchangeFunction() {
		return (request) -> Mono.fromSupplier(() -> {
			this.requests.incrementAndGet();
			this.beforeAnswer.run();
			ClientResponse.Builder response = ClientResponse.create(HttpStatusCode.valueOf(this.status));
			if (this.contentType != null) {
				response.header(HttpHeaders.CONTENT_TYPE, this.contentType);
			}
			byte[] bytes = this.body;
			if (bytes.length > 0) {
				response.body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes.clone())));
			}
			return response.build();
		});
	}

	/**
	 * Return a web client builder that uses this stub.
	 * @return a builder
	 */
	public WebClient.Builder builder() {
		return WebClient.builder().exchangeFunction(exchangeFunction());
	}

}
