package io.tokenkit.token;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link TokenRegistration} whose tokens the requests of an HTTP service
 * interface ({@code @HttpExchange}), or of one of its methods, carry when the interface
 * belongs to a Spring HTTP service group: <pre class="code">
 * &#64;TokenKitRegistration("orders")
 * interface OrdersApi {
 *
 *     &#64;GetExchange("/orders")
 *     List&lt;Order&gt; orders();
 *
 * }
 * </pre> An annotation on a method wins over one on its interface, which wins over the
 * {@code tokenkit.service-groups.<group>.registration} property. A registration that
 * TokenKit does not serve stops start-up.
 * <p>
 * The annotation that names the registration may also ask for a token with its own
 * {@link #scopes()}, {@link #audiences()} or {@link #resources()} instead of the
 * registration's defaults ({@link TokenParameters}), read once per method:
 * <pre class="code">
 * &#64;TokenKitRegistration(value = "orders", scopes = "orders.write")
 * &#64;PostExchange("/orders")
 * Order place(&#64;RequestBody Order order);
 * </pre> Only a grant that asks for a token per call serves them
 * ({@code client_credentials}, token exchange, JWT bearer); a {@code refresh_token} or
 * vendor registration fails such a request with a
 * {@link TokenParametersNotSupportedException}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TokenKitRegistration {

	/**
	 * Return the registration id.
	 * @return the id of the registration whose tokens to send
	 */
	String value();

	/**
	 * Return the scopes to ask for instead of the registration's.
	 * @return the scopes, none for the registration's
	 */
	String[] scopes() default {};

	/**
	 * Return the audiences to ask for ({@code audience} form parameters).
	 * @return the audiences, none for the registration's
	 */
	String[] audiences() default {};

	/**
	 * Return the resources to ask for ({@code resource} form parameters, RFC 8707).
	 * @return the resources, none for the registration's
	 */
	String[] resources() default {};

}
