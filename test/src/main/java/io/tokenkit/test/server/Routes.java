package io.tokenkit.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * The handler of a {@link LoopbackServer} that routes by method and path pattern:
 * {@code 404} for an unknown path, {@code 405} for a known path with another method.
 */
public final class Routes implements Function<HttpExchange, Answer> {

	private final List<Route> routes = new CopyOnWriteArrayList<>();

	/**
	 * Add a route.
	 * @param method the HTTP method
	 * @param pathPattern the regular expression the whole raw path matches
	 * @param handler the handler of matching requests
	 * @return these routes
	 */
	public Routes route(String method, String pathPattern, Handler handler) {
		this.routes.add(new Route(method, Pattern.compile(pathPattern), handler));
		return this;
	}

	@Override
	public Answer apply(HttpExchange exchange) {
		String path = exchange.getRequestURI().getRawPath();
		boolean pathKnown = false;
		for (Route route : this.routes) {
			Matcher matcher = route.path().matcher(path);
			if (matcher.matches()) {
				pathKnown = true;
				if (route.method().equals(exchange.getRequestMethod())) {
					try {
						return route.handler().handle(new Request(exchange, matcher));
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}
			}
		}
		return Answer.jsonOf(pathKnown ? 405 : 404, Map.of("error", pathKnown ? "method_not_allowed" : "not_found"));
	}

	/**
	 * The handler of one route.
	 */
	@FunctionalInterface
	public interface Handler {

		/**
		 * Answer a request.
		 * @param request the request
		 * @return the answer
		 * @throws IOException if the request cannot be read
		 */
		Answer handle(Request request) throws IOException;

	}

	private record Route(String method, Pattern path, Handler handler) {
	}

}
