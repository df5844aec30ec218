package io.tokenkit.test.sandbox;

/**
 * The vendor sandboxes that
 * {@link io.tokenkit.test.AutoConfigureMockTokenServer#sandboxes()
 * {@code @AutoConfigureMockTokenServer(sandboxes = …)}} starts for a test's application
 * context, each registered as a bean under its {@link #beanName()} and closed with the
 * context, its {@code properties()} first in the environment.
 */
public enum Sandbox {

	/**
	 * A {@link SaasusSandbox}, bean {@code saasusSandbox}: sets
	 * {@code tokenkit.saasus.*}.
	 */
	SAASUS("saasusSandbox"),

	/**
	 * A {@link GmoAozoraSandbox}, bean {@code gmoAozoraSandbox}: sets
	 * {@code tokenkit.gmo-aozora.*}. The sandbox registers the application's
	 * {@code tokenkit.gmo-aozora.redirect-uri} when the environment has one, and requires
	 * PKCE, pushed authorization requests and sends {@code iss} on its callbacks when
	 * {@code tokenkit.gmo-aozora.pkce}, {@code par} and {@code check-iss} are
	 * {@code true}.
	 */
	GMO_AOZORA("gmoAozoraSandbox"),

	/**
	 * An {@link AuthleteSandbox}, bean {@code authleteSandbox}: sets
	 * {@code tokenkit.authlete.*}.
	 */
	AUTHLETE("authleteSandbox");

	private final String beanName;

	Sandbox(String beanName) {
		this.beanName = beanName;
	}

	/**
	 * Return the name of the sandbox's bean.
	 * @return the bean name
	 */
	public String beanName() {
		return this.beanName;
	}

}
