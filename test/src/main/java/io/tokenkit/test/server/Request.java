package io.tokenkit.test.server;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request as a {@link Routes.Handler} sees it: method, path groups of its route,
 * headers, query, and the body read once as text, form or JSON.
 */
public final class Request {

	private final HttpExchange exchange;

	private final Matcher path;

	private String body;

	Request(HttpExchange exchange, Matcher path) {
		this.exchange = exchange;
		this.path = path;
	}

	/**
	 * Return the request method.
	 * @return the method
	 */
	public String method() {
		return this.exchange.getRequestMethod();
	}

	/**
	 * Return the raw path and, when there is one, {@code ?} and the raw query, as sent.
	 * @return the path and query
	 */
	public String pathAndQuery() {
		URI uri = this.exchange.getRequestURI();
		return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	/**
	 * Return a group of the route's path pattern, URL-decoded.
	 * @param group the group number
	 * @return the decoded group
	 */
	public String pathGroup(int group) {
		return URLDecoder.decode(this.path.group(group), StandardCharsets.UTF_8);
	}

	/**
	 * Return the first value of a header.
	 * @param name the header's name
	 * @return the value, or {@code null}
	 */
	public String header(String name) {
		return this.exchange.getRequestHeaders().getFirst(name);
	}

	/**
	 * Return the query's parameters; the first value of a repeated name wins.
	 * @return the parameters by name
	 */
	public Map<String, String> query() {
		return LoopbackServer.form(this.exchange.getRequestURI().getRawQuery());
	}

	/**
	 * Return the body as UTF-8 text, read on first use.
	 * @return the body
	 */
	public String body() {
		if (this.body == null) {
			this.body = LoopbackServer.body(this.exchange);
		}
		return this.body;
	}

	/**
	 * Return the body decoded as a form.
	 * @return the values by name
	 */
	public Map<String, String> form() {
		return LoopbackServer.form(body());
	}

	/**
	 * Return the JSON object of the body, or {@code null} when the body is not one.
	 * @return the object
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Object> jsonBody() {
		try {
			Object value = JsonMapper.shared().readValue(body(), Object.class);
			return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
