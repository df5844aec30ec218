package io.tokenkit.test.sandbox;

import io.tokenkit.test.server.LoopbackServer;
import io.tokenkit.test.server.Routes;

/**
 * What every sandbox is: a {@link LoopbackServer} that routes by method and path, opened
 * when the sandbox is created and stopped by {@link #close()}.
 */
abstract class SandboxServer implements AutoCloseable {

	private final Routes routes = new Routes();

	private final LoopbackServer server;

	SandboxServer(String name) {
		this.server = new LoopbackServer(name, this.routes);
	}

	final void route(String method, String pathPattern, Routes.Handler handler) {
		this.routes.route(method, pathPattern, handler);
	}

	/**
	 * Return the URL of a path on this server.
	 * @param path the path, starting with {@code /}
	 * @return the URL
	 */
	final String url(String path) {
		return this.server.url(path);
	}

	/**
	 * Stop the server at once and release its port.
	 */
	@Override
	public void close() {
		this.server.close();
	}

}
