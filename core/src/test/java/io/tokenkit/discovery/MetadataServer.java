package io.tokenkit.discovery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback authorization server for discovery tests: answers each path with what the
 * test put there (404 elsewhere) and counts the requests of each path.
 */
final class MetadataServer extends Dispatcher {

	private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	final MockWebServer server = new MockWebServer();

	MetadataServer() {
		this.server.setDispatcher(this);
	}

	MetadataServer start() throws Exception {
		this.server.start();
		return this;
	}

	String url(String path) {
		String url = this.server.url(path).toString();
		return (path.isEmpty() && url.endsWith("/")) ? url.substring(0, url.length() - 1) : url;
	}

	MetadataServer answer(String path, MockResponse answer) {
		this.answers.put(path, answer);
		return this;
	}

	MetadataServer json(String path, String json) {
		return answer(path, json(200, json));
	}

	MetadataServer metadata(String path, String issuer, String extra) {
		return json(path,
				"{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + url("/oauth2/token") + "\"" + extra + "}");
	}

	static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	int count(String path) {
		AtomicInteger count = this.counts.get(path);
		return (count != null) ? count.get() : 0;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getTarget();
		this.counts.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
		MockResponse answer = this.answers.get(path);
		return (answer != null) ? answer : new MockResponse.Builder().code(404).build();
	}

	void stop() {
		this.server.close();
	}

}
