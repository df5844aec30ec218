package io.tokenkit.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.tokenkit.test.sandbox.AuthleteSandbox;
import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.test.sandbox.SaasusSandbox;
import io.tokenkit.test.sandbox.Sandbox;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link AutoConfigureMockTokenServer#sandboxes()} on a tiny Spring context,
 * without TokenKit: each vendor sandbox is a bean that answers on the wire, its
 * properties are in the environment, it is closed with the context, and the sandboxes
 * take part in the context cache's key.
 */
class AutoConfigureMockTokenServerSandboxesTests {

	@Test
	void customizerWhenSandboxesDifferThenNotEqual() {
		ContextCustomizer saasus = customizer(Saasus.class);
		assertThat(saasus).isEqualTo(customizer(Saasus.class)).hasSameHashCodeAs(customizer(Saasus.class));
		assertThat(saasus).isNotEqualTo(customizer(Authlete.class));
		assertThat(customizer(AllSandboxes.class)).isEqualTo(customizer(AllSandboxesOtherOrder.class));
	}

	@Test
	void contextWhenClosedThenSandboxesClosed() {
		String saasusUrl;
		String authleteUrl;
		String bankUrl;
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			customizer(AllSandboxes.class).customizeContext(context, null);
			context.refresh();
			saasusUrl = context.getBean(Sandbox.SAASUS.beanName(), SaasusSandbox.class).loginUrl();
			authleteUrl = context.getBean(Sandbox.AUTHLETE.beanName(), AuthleteSandbox.class).baseUrl();
			bankUrl = context.getBean(Sandbox.GMO_AOZORA.beanName(), GmoAozoraSandbox.class).authBaseUrl();
			assertThat(Http.get(authleteUrl + "/api/x/auth/token/get/list").statusCode()).isEqualTo(401);
		}
		for (String url : List.of(saasusUrl, authleteUrl + "/api/x/auth/token/get/list", bankUrl + "/token")) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> Http.get(url));
		}
	}

	private static void assertInEnvironment(Environment environment, Map<String, String> properties) {
		properties.forEach((name, value) -> assertThat(environment.getProperty(name)).as(name).isEqualTo(value));
	}

	private static ContextCustomizer customizer(Class<?> testClass) {
		return new MockTokenServerContextCustomizerFactory().createContextCustomizer(testClass, List.of());
	}

	@Nested
	@SpringJUnitConfig(Empty.class)
	@AutoConfigureMockTokenServer(sandboxes = Sandbox.SAASUS)
	class Saasus {

		@Autowired
		private SaasusSandbox sandbox;

		@Autowired
		private Environment environment;

		@Test
		void sandboxWhenInAnnotationThenBeanWithPropertiesThatAnswers() {
			assertInEnvironment(this.environment, this.sandbox.properties());
			assertThat(this.environment.getProperty("tokenkit.saasus.base-url")).startsWith("http://127.0.0.1:")
				.endsWith("/v1/auth");
			assertThat(this.sandbox.signIn("alice")).isNotEmpty();
			assertThat(Http.get(this.sandbox.baseUrl() + "/credentials?code=x").statusCode())
				.as("unsigned call refused")
				.isEqualTo(401);
		}

	}

	@Nested
	@SpringJUnitConfig(Empty.class)
	@AutoConfigureMockTokenServer(sandboxes = Sandbox.GMO_AOZORA)
	@TestPropertySource(properties = "tokenkit.gmo-aozora.redirect-uri=http://localhost:9999/bank/callback")
	class GmoAozora {

		@Autowired
		private GmoAozoraSandbox sandbox;

		@Autowired
		private Environment environment;

		@Test
		void sandboxWhenInAnnotationThenBeanThatRegistersApplicationsRedirectUri() {
			assertInEnvironment(this.environment, this.sandbox.properties());
			assertThat(this.environment.getProperty("tokenkit.gmo-aozora.redirect-uri"))
				.isEqualTo("http://localhost:9999/bank/callback");
			String clientId = this.environment.getProperty("tokenkit.gmo-aozora.client-id");
			assertThat(Http.get(authorizationUrl(clientId, "http://localhost:9999/bank/callback")).statusCode())
				.as("consent page for the registered redirect URI")
				.isEqualTo(200);
			assertThat(Http.get(authorizationUrl(clientId, "http://localhost:8080/callback")).statusCode())
				.isEqualTo(400);
		}

		private String authorizationUrl(String clientId, String redirectUri) {
			return this.sandbox.authBaseUrl() + "/authorization?response_type=code&scope=private%3Aaccount&state=s"
					+ "&client_id=" + encode(clientId) + "&redirect_uri=" + encode(redirectUri);
		}

	}

	@Nested
	@SpringJUnitConfig(Empty.class)
	@AutoConfigureMockTokenServer(sandboxes = Sandbox.GMO_AOZORA)
	@TestPropertySource(properties = { "tokenkit.gmo-aozora.redirect-uri=http://localhost:9999/bank/callback",
			"tokenkit.gmo-aozora.pkce=true", "tokenkit.gmo-aozora.par=true", "tokenkit.gmo-aozora.check-iss=true" })
	class GmoAozoraWithPkceParAndIss {

		@Autowired
		private GmoAozoraSandbox sandbox;

		@Autowired
		private Environment environment;

		@Test
		void sandboxWhenTheApplicationSwitchesThemOnThenRequiresPkceAndParAndSendsIss() {
			assertInEnvironment(this.environment, this.sandbox.properties());
			assertThat(this.environment.getProperty("tokenkit.gmo-aozora.par-uri"))
				.isEqualTo(this.sandbox.pushedAuthorizationRequestUri());
			String location = Http
				.get(this.sandbox.authBaseUrl() + "/authorization?response_type=code"
						+ "&scope=private%3Aaccount&state=s&client_id="
						+ encode(this.environment.getProperty("tokenkit.gmo-aozora.client-id")) + "&redirect_uri="
						+ encode("http://localhost:9999/bank/callback"))
				.headers()
				.firstValue("Location")
				.orElseThrow();
			assertThat(location).as("an authorization request that was not pushed")
				.isEqualTo("http://localhost:9999/bank/callback?error=invalid_request&state=s&iss="
						+ encode(this.sandbox.issuer()));
		}

	}

	@Nested
	@SpringJUnitConfig(Empty.class)
	@AutoConfigureMockTokenServer(sandboxes = Sandbox.AUTHLETE)
	class Authlete {

		@Autowired
		private AuthleteSandbox sandbox;

		@Autowired
		private Environment environment;

		@Test
		void sandboxWhenInAnnotationThenBeanWithPropertiesThatAnswers() {
			assertInEnvironment(this.environment, this.sandbox.properties());
			String url = this.environment.getProperty("tokenkit.authlete.base-url") + "/api/"
					+ this.environment.getProperty("tokenkit.authlete.service-id") + "/auth/token/get/list";
			assertThat(Http
				.get(url, "Authorization", "Bearer " + this.environment.getProperty("tokenkit.authlete.access-token"))
				.statusCode()).isEqualTo(200);
			assertThat(Http.get(url).statusCode()).isEqualTo(401);
		}

	}

	@AutoConfigureMockTokenServer(sandboxes = { Sandbox.SAASUS, Sandbox.GMO_AOZORA, Sandbox.AUTHLETE })
	static class AllSandboxes {

	}

	@AutoConfigureMockTokenServer(sandboxes = { Sandbox.AUTHLETE, Sandbox.SAASUS, Sandbox.GMO_AOZORA })
	static class AllSandboxesOtherOrder {

	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
