package io.tokenkit.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokenkit.test.sandbox.AuthleteSandbox;
import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.test.sandbox.SaasusSandbox;

/**
 * Every server the sample talks to, on loopback: the test kit's SaaSus, GMO Aozora and
 * Authlete sandboxes, and the orders demo's {@link OrdersStandIn}; and the properties
 * that point the sample at them, which take the place of the real vendors' settings of
 * {@code application.yml}.
 */
final class Sandboxes implements AutoCloseable {

	private final OrdersStandIn orders = new OrdersStandIn();

	private final SaasusSandbox saasus = SaasusSandbox.start();

	private final GmoAozoraSandbox bank;

	private final AuthleteSandbox authlete = AuthleteSandbox.start();

	/**
	 * Start the servers.
	 * @param applicationPort the sample's port, for the bank's registered redirect URI
	 */
	Sandboxes(int applicationPort) {
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
		properties.put("tokenkit.registrations.orders.token-uri", this.orders.baseUrl() + "/oauth2/token");
		properties.put("tokenkit.registrations.orders.client-id", OrdersStandIn.CLIENT_ID);
		properties.put("tokenkit.registrations.orders.client-secret", OrdersStandIn.CLIENT_SECRET);
		properties.put("tokenkit.clients.orders.base-url", this.orders.baseUrl());
		properties.put("spring.http.serviceclient.orders.base-url", this.orders.baseUrl());
		properties.putAll(this.saasus.properties());
		properties.putAll(this.bank.properties());
		properties.put("tokenkit.gmo-aozora.state-salt", "sandbox-state-salt");
		properties.put("tokenkit.clients.bank.base-url", this.bank.personalApiBaseUrl());
		properties.putAll(this.authlete.properties());
		properties.put("sample.sandbox.enabled", "true");
		properties.put(SaasusDemoController.LOGIN_URL_PROPERTY, this.saasus.loginUrl());
		return properties;
	}

	@Override
	public void close() {
		this.orders.close();
		this.saasus.close();
		this.bank.close();
		this.authlete.close();
	}

}
