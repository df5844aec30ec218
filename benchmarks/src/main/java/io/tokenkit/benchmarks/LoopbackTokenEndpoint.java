package io.tokenkit.benchmarks;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A {@code client_credentials} token endpoint on 127.0.0.1 (Reactor Netty, any free port)
 * that counts its calls and answers each with a fresh token valid for an hour after a
 * fixed delay. Remembers every token it issued, so that an in-memory resource server can
 * tell them from any other.
 * <p>
 * Benchmark 6b keeps this Reactor Netty endpoint instead of the test kit's
 * {@code MockTokenServer}: Spring Security's side sends up to thousands of token calls at
 * once, which the JDK's HTTP server under the kit accepts too slowly (one dispatcher
 * thread), so that Spring Security's client overflowed its connection pool's queue and
 * its figures would measure the endpoint instead of the contender.
 */
final class LoopbackTokenEndpoint implements AutoCloseable {

	private final Duration delay;

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger sequence = new AtomicInteger();

	private final Set<String> issued = ConcurrentHashMap.newKeySet();

	private final DisposableServer server;

	LoopbackTokenEndpoint(Duration delay) {
		this.delay = delay;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/token", this::token))
			.bindNow();
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.port() + "/token";
	}

	int calls() {
		return this.calls.get();
	}

	void resetCalls() {
		this.calls.set(0);
	}

	boolean issued(String token) {
		return this.issued.contains(token);
	}

	private Publisher<Void> token(HttpServerRequest request, HttpServerResponse response) {
		this.calls.incrementAndGet();
		String token = Output.format("issued-%037d", this.sequence.incrementAndGet());
		this.issued.add(token);
		String body = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
		return request.receive()
			.then()
			.then(Mono.delay(this.delay))
			.then(response.header("Content-Type", "application/json").sendString(Mono.just(body)).then());
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
