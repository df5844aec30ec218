package io.tokenkit.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tokenkit.test.sandbox.Sandbox;

/**
 * Annotation on a Spring test class that starts a {@link MockTokenServer} and a
 * {@link MockResourceServer} for the test's application context, registers them as beans
 * (for {@code @Autowired}), closes them with the context, and points TokenKit at them by
 * property name:
 * <ul>
 * <li>every {@code tokenkit.registrations.<id>.token-uri} found in the environment, and
 * that of each id in {@link #registrations()}, at the registration's mock token
 * endpoint;</li>
 * <li>every {@code tokenkit.registrations.<id>.issuer-uri} found in the environment at
 * the registration's mock issuer, whose discovery metadata names the mock token
 * endpoint;</li>
 * <li>{@code tokenkit.clients.<name>.base-url} of each name in {@link #clients()} at the
 * resource-server stand-in.</li>
 * </ul>
 * The vendor sandboxes listed in {@link #sandboxes()} start too, each a bean (for
 * {@code @Autowired}) closed with the context, their properties
 * ({@code tokenkit.saasus.*}, {@code tokenkit.gmo-aozora.*}, {@code tokenkit.authlete.*})
 * first in the environment. After each test method both servers forget the calls they
 * received and their scripts ({@link MockTokenServer#reset()},
 * {@link MockResourceServer#reset()}); tokens already issued stay valid, as an
 * application in a cached context still holds them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMockTokenServer {

	/**
	 * Registrations whose {@code token-uri} to set even when the environment has none.
	 * @return the registration ids
	 */
	String[] registrations() default {};

	/**
	 * Clients ({@code tokenkit.clients.<name>}) whose {@code base-url} to point at the
	 * resource-server stand-in.
	 * @return the client names
	 */
	String[] clients() default {};

	/**
	 * Vendor sandboxes to start and point TokenKit's vendor clients at.
	 * @return the sandboxes
	 */
	Sandbox[] sandboxes() default {};

}
