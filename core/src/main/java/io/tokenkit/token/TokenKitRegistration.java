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

}
