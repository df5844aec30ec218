package io.tokenkit.testsupport;

import java.net.InetAddress;
import java.net.ServerSocket;
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
public final class MetadataServer extends Dispatcher {

	private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	/** The server. */
	public final MockWebServer server = new MockWebServer();

	/**
	 * Create a server; {@link #start()} starts it.
	 */
	public MetadataServer() {
		this.server.setDispatcher(this);
	}

	/**
	 * Start the server on loopback.
	 * @return this server
	 * @throws Exception if it cannot start
	 */
	public MetadataServer start() throws Exception {
		this.server.start();
		return this;
	}

	/**
	 * Start the server on a given loopback port, for example one an application was
	 * configured with while nothing listened there.
	 * @param port the port
	 * @return this server
	 * @throws Exception if it cannot start
	 */
	public MetadataServer start(int port) throws Exception {
		this.server.start(InetAddress.getLoopbackAddress(), port);
		return this;
	}

	/**
	 * Return a loopback port nothing listens on.
	 * @return the port
	 * @throws Exception if none can be found
	 */
	public static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Return the URL of a path; of the empty path without its trailing slash, as an
	 * issuer without a path is written.
	 * @param path the path
	 * @return the URL
	 */
	public String url(String path) {
		String url = this.server.url(path).toString();
		return (path.isEmpty() && url.endsWith("/")) ? url.substring(0, url.length() - 1) : url;
	}

	/**
	 * Answer a path with a response from now on.
	 * @param path the path
	 * @param answer the response
	 * @return this server
	 */
	public MetadataServer answer(String path, MockResponse answer) {
		this.answers.put(path, answer);
		return this;
	}

	/**
	 * Answer a path with {@code 200} and a JSON body from now on.
	 * @param path the path
	 * @param json the body
	 * @return this server
	 */
	public MetadataServer json(String path, String json) {
		return answer(path, json(200, json));
	}

	/**
	 * Answer a path with metadata naming an issuer and this server's
	 * {@code /oauth2/token} as token endpoint.
	 * @param path the path
	 * @param issuer the issuer the metadata names
	 * @param extra more members, each after a comma, or empty
	 * @return this server
	 */
	public MetadataServer metadata(String path, String issuer, String extra) {
		return json(path,
				"{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + url("/oauth2/token") + "\"" + extra + "}");
	}

	/**
	 * Return a JSON answer.
	 * @param status the status
	 * @param body the body
	 * @return the answer
	 */
	public static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	/**
	 * Return how many requests a path got.
	 * @param path the path
	 * @return the count
	 */
	public int count(String path) {
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

	/**
	 * Stop the server.
	 */
	public void stop() {
		this.server.close();
	}

}
