package io.tokenkit.sample.sandbox;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The local stand-ins: a servlet application (Tomcat) holding Spring Authorization
 * Server, a JWT-protected orders API, and sandboxes that follow the wire formats of
 * SaaSus, GMO Aozora Net Bank and Authlete. Started by {@link StandInsInitializer};
 * configured by {@code standins.yml} and the sample's {@code sandbox.*} properties. Not
 * part of the sample application's own context.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "io.tokenkit.autoconfigure.TokenKitAutoConfiguration",
		"io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration" })
@Import({ StandInsSecurityConfiguration.class, OrdersApi.class, SaasusSandbox.class, GmoAozoraSandbox.class,
		AuthleteSandbox.class })
public class StandInsApplication {

}
