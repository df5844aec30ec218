package io.tokenkit.sample.sandbox;

import java.io.IOException;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

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

	/**
	 * Run the stand-ins alone, with the {@code sandbox.*} values of the sample's
	 * {@code application-local.yml}. Spring AOT's build-time processing of the stand-ins
	 * starts here too (the sample's build runs it for its tests with AOT).
	 * @param args the command line arguments
	 * @throws IOException if {@code application-local.yml} cannot be read
	 */
	public static void main(String[] args) throws IOException {
		StandardEnvironment sample = new StandardEnvironment();
		new YamlPropertySourceLoader().load("application-local.yml", new ClassPathResource("application-local.yml"))
			.forEach(sample.getPropertySources()::addLast);
		StandInsInitializer.application(sample).run(args);
	}

}
