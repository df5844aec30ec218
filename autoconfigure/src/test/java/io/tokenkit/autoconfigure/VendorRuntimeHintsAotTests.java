package io.tokenkit.autoconfigure;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.authlete.TokenCreateResponse;
import io.tokenkit.autoconfigure.authlete.AuthleteAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.saasus.Credentials;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusRequestHeaders;
import io.tokenkit.testsupport.ClientBodyTypes;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints that Spring AOT processing of an application gets from the vendor
 * auto-configurations.
 */
class VendorRuntimeHintsAotTests {

	@Test
	void aotProcessingWhenVendorsConfiguredThenTheirBodiesAreBindable() {
		RuntimeHints hints = processAheadOfTime("tokenkit.authlete.service-id=715948317",
				"tokenkit.authlete.access-token=service-token", "tokenkit.saasus.saas-id=saas-1",
				"tokenkit.saasus.api-key=ak-1", "tokenkit.saasus.secret-key=sk-very-secret");
		ClientBodyTypes.assertBindable(hints, ClientBodyTypes.of(AuthleteClient.class, Set.of()));
		ClientBodyTypes.assertBindable(hints,
				ClientBodyTypes.of(SaasusClient.class, Set.of(SaasusRequestHeaders.class)));
	}

	@Test
	void aotProcessingWhenNoVendorConfiguredThenNoVendorHints() {
		RuntimeHints hints = processAheadOfTime();
		assertThat(RuntimeHintsPredicates.reflection().onType(TokenCreateResponse.class)).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Credentials.class)).rejects(hints);
	}

	private static RuntimeHints processAheadOfTime(String... properties) {
		TestGenerationContext generationContext = new TestGenerationContext();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			TestPropertyValues.of(properties).applyTo(context);
			context.register(VendorsApplication.class);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		}
		return generationContext.getRuntimeHints();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
			AuthleteAutoConfiguration.class, SaasusAutoConfiguration.class })
	static class VendorsApplication {

	}

}
