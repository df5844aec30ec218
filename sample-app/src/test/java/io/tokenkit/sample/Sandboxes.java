package io.tokenkit.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenkit.test.MockResourceServer;
import io.tokenkit.test.MockTokenServer;
import io.tokenkit.test.sandbox.AuthleteSandbox;
import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.test.sandbox.SaasusSandbox;

/**
 * Every server the sample talks to, on loopback: the test kit's SaaSus, GMO Aozora and
 * Authlete sandboxes, and for the orders demo the kit's {@link MockTokenServer} (the
 * {@code orders} registration's token endpoint) and {@link MockResourceServer} (the
 * orders API); and the properties that point the sample at them, which take the place of
 * the real servers' settings of {@code application.yml}.
 */
final class Sandboxes implements AutoCloseable {

	/** The client of the {@code orders} registration that the token server accepts. */
	static final String ORDERS_CLIENT_ID = "sample-orders";

	private static final String ORDERS_CLIENT_SECRET = "sample-orders-secret";

	private final MockTokenServer tokenServer = MockTokenServer.start();

	private final MockResourceServer ordersApi = MockResourceServer.start(this.tokenServer);

	private final SaasusSandbox saasus = SaasusSandbox.start();

	private final GmoAozoraSandbox bank;

	private final AuthleteSandbox authlete = AuthleteSandbox.start();

	/**
	 * Start the servers.
	 * @param applicationPort the sample's port, for the bank's registered redirect URI
	 */
	Sandboxes(int applicationPort) {
		this.tokenServer.registration("orders")
			.requireClient(ORDERS_CLIENT_ID, ORDERS_CLIENT_SECRET)
			.expiresIn(Duration.ofSeconds(60));
		this.bank = GmoAozoraSandbox.builder()
			.redirectUri("http://localhost:" + applicationPort + "/bank/callback")
			.start();
	}

	/**
	 * Return the properties that point the sample at the servers.
	 * @return the properties by name
	 */
	Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tokenkit.registrations.orders.token-uri", this.tokenServer.tokenUri("orders"));
		properties.put("tokenkit.registrations.orders.client-id", ORDERS_CLIENT_ID);
		properties.put("tokenkit.registrations.orders.client-secret", ORDERS_CLIENT_SECRET);
		properties.put("tokenkit.clients.orders.base-url", this.ordersApi.baseUrl());
		properties.put("spring.http.serviceclient.orders.base-url", this.ordersApi.baseUrl());
		properties.putAll(this.saasus.properties());
		properties.putAll(this.bank.properties());
		properties.put("tokenkit.gmo-aozora.state-salt", "sandbox-state-salt");
		properties.put("tokenkit.clients.bank.base-url", this.bank.personalApiBaseUrl());
		properties.putAll(this.authlete.properties());
		properties.put("sample.sandbox.enabled", "true");
		properties.put(SaasusDemoController.LOGIN_URL_PROPERTY, this.saasus.loginUrl());
		return properties;
	}

	/**
	 * Return the token server of the orders demo.
	 * @return the token server
	 */
	MockTokenServer tokenServer() {
		return this.tokenServer;
	}

	/**
	 * Return the orders API's stand-in.
	 * @return the resource server
	 */
	MockResourceServer ordersApi() {
		return this.ordersApi;
	}

	@Override
	public void close() {
		this.ordersApi.close();
		this.tokenServer.close();
		this.saasus.close();
		this.bank.close();
		this.authlete.close();
	}

}
