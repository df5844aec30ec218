package io.tokenkit.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.autoconfigure.service.TokenKitHttpServiceGroupAutoConfiguration;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKitRegistration;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;
import io.tokenkit.token.TokenSource;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registrations configured for Spring Security's OAuth 2.0 client
 * ({@code spring.security.oauth2.client.*}) served by TokenKit: both switches, the
 * mapping of each grant type, client authentication method and provider, and a failure
 * analysis for everything TokenKit cannot serve.
 */
class SpringSecurityRegistrationsTests {

	private static final String SECRET = "sweep-secret-spring-security";

	private static final String REGISTRATION = "spring.security.oauth2.client.registration.";

	private static final String PROVIDER = "spring.security.oauth2.client.provider.";

	private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
				TokenKitAutoConfiguration.class, TokenKitRestClientAutoConfiguration.class));

	private MockWebServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new MockWebServer();
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	/**
	 * Spring Security's client_credentials registration {@code orders} of provider
	 * {@code auth}, whose token endpoint is the mock server's.
	 */
	private ApplicationContextRunner ordersInSpringSecurity() {
		return this.contextRunner.withPropertyValues(REGISTRATION + "orders.provider=auth",
				REGISTRATION + "orders.client-id=orders-app", REGISTRATION + "orders.client-secret=" + SECRET,
				REGISTRATION + "orders.authorization-grant-type=client_credentials",
				REGISTRATION + "orders.scope=orders.read,orders.write",
				PROVIDER + "auth.token-uri=" + this.server.url("/oauth2/token"));
	}

	/**
	 * Spring Security's authorization_code registration {@code users} of provider
	 * {@code auth}.
	 */
	private ApplicationContextRunner usersInSpringSecurity() {
		return this.contextRunner.withPropertyValues(REGISTRATION + "users.provider=auth",
				REGISTRATION + "users.client-id=users-app", REGISTRATION + "users.client-secret=" + SECRET,
				REGISTRATION + "users.authorization-grant-type=authorization_code",
				REGISTRATION + "users.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
				REGISTRATION + "users.scope=openid,accounts.read",
				PROVIDER + "auth.authorization-uri=https://auth.example.com/authorize",
				PROVIDER + "auth.token-uri=" + this.server.url("/oauth2/token"));
	}

	@Test
	void fromSpringSecurityWhenClientCredentialsThenApplicationTokenFromProviderTokenUriWithBasic() throws Exception {
		this.server.enqueue(token("orders-token"));
		ordersInSpringSecurity().withPropertyValues("tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TokenManager manager = context.getBean(TokenManager.class);
				assertThat(manager.getRegistrations().get("orders").source())
					.isInstanceOf(ClientCredentialsTokenSource.class);
				assertThat(manager.getToken(TokenKey.of("orders")).block().getTokenValue()).isEqualTo("orders-token");
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(request.getMethod()).isEqualTo("POST");
				assertThat(request.getTarget()).isEqualTo("/oauth2/token");
				assertThat(request.getHeaders().get("Authorization")).isEqualTo(basic("orders-app", SECRET));
				assertThat(form(request)).containsEntry("grant_type", "client_credentials")
					.containsEntry("scope", "orders.read orders.write")
					.doesNotContainKeys("client_id", "client_secret");
			});
	}

	@Test
	void fromSpringSecurityWhenClientSecretPostThenCredentialsInFormBody() throws Exception {
		this.server.enqueue(token("orders-token"));
		ordersInSpringSecurity()
			.withPropertyValues(REGISTRATION + "orders.client-authentication-method=client_secret_post",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				assertThat(context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block().getTokenValue())
					.isEqualTo("orders-token");
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(request.getHeaders().get("Authorization")).isNull();
				assertThat(form(request)).containsEntry("client_id", "orders-app")
					.containsEntry("client_secret", SECRET)
					.containsEntry("grant_type", "client_credentials");
			});
	}

	@Test
	void fromSpringSecurityWhenClientSecretBasicSetExplicitlyThenBasic() throws Exception {
		this.server.enqueue(token("orders-token"));
		ordersInSpringSecurity()
			.withPropertyValues(REGISTRATION + "orders.client-authentication-method=client_secret_basic",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block();
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(request.getHeaders().get("Authorization")).isEqualTo(basic("orders-app", SECRET));
			});
	}

	@Test
	void fromSpringSecurityWhenAuthorizationCodeThenSavedUserTokenRefreshedAtProviderTokenUri() throws Exception {
		this.server.enqueue(new MockResponse.Builder()
			.body("{\"access_token\":\"alice-new\",\"token_type\":\"Bearer\",\"expires_in\":300,"
					+ "\"refresh_token\":\"alice-refresh-2\"}")
			.addHeader("Content-Type", "application/json")
			.build());
		this.server.enqueue(new MockResponse.Builder().body("accounts").build());
		usersInSpringSecurity()
			.withPropertyValues("tokenkit.registrations.users.from-spring-security=true",
					"tokenkit.clients.users.base-url=" + this.server.url("/api"),
					"tokenkit.clients.users.registration=users", "tokenkit.clients.users.type=rest-client")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TokenManager manager = context.getBean(TokenManager.class);
				assertThat(manager.getRegistrations().get("users").source())
					.isInstanceOf(RefreshTokenTokenSource.class);
				manager
					.save(TokenKey.of("users", "alice"),
							AccessToken.withValue("alice-old")
								.refreshToken("alice-refresh-1")
								.issuedAt(Instant.now().minusSeconds(360))
								.expiresAt(Instant.now().minusSeconds(60))
								.build())
					.block();
				RestClient users = context.getBean("usersRestClient", RestClient.class);
				assertThat(users.get()
					.uri("/accounts")
					.attributes(TokenRequestAttributes.subject("alice"))
					.retrieve()
					.body(String.class)).isEqualTo("accounts");
				RecordedRequest refresh = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(refresh.getTarget()).isEqualTo("/oauth2/token");
				assertThat(refresh.getHeaders().get("Authorization")).isEqualTo(basic("users-app", SECRET));
				// like Spring Security's refresh: no scope, so the granted ones are kept
				assertThat(form(refresh)).containsEntry("grant_type", "refresh_token")
					.containsEntry("refresh_token", "alice-refresh-1")
					.doesNotContainKey("scope");
				RecordedRequest api = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(api.getTarget()).isEqualTo("/api/accounts");
				assertThat(api.getHeaders().get("Authorization")).isEqualTo("Bearer alice-new");
				assertThat(manager.getCachedToken(TokenKey.of("users", "alice")).getRefreshToken())
					.isEqualTo("alice-refresh-2");
			});
	}

	@Test
	void springSecurityRegistrationsWhenTrueThenEveryRegistrationServedUnderItsId() {
		ordersInSpringSecurity()
			.withPropertyValues(REGISTRATION + "users.provider=auth", REGISTRATION + "users.client-id=users-app",
					REGISTRATION + "users.client-secret=" + SECRET,
					REGISTRATION + "users.authorization-grant-type=authorization_code",
					"tokenkit.spring-security-registrations=true",
					"tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registration=orders")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("ordersWebClient").hasBean("ordersRestClient");
				TokenManager manager = context.getBean(TokenManager.class);
				assertThat(manager.getRegistrations()).containsOnlyKeys("orders", "users");
				assertThat(manager.getRegistrations().get("orders").source())
					.isInstanceOf(ClientCredentialsTokenSource.class);
				assertThat(manager.getRegistrations().get("users").source())
					.isInstanceOf(RefreshTokenTokenSource.class);
			});
	}

	@Test
	void springSecurityRegistrationsWhenNeitherSwitchThenNotServed() {
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registration=orders")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.clients.orders.registration", "'orders'")
					.doesNotContain(SECRET);
			});
		ordersInSpringSecurity()
			.run((context) -> assertThat(context.getBean(TokenManager.class).getRegistrations()).isEmpty());
	}

	@Test
	void springSecurityRegistrationsWhenTokenKitEntryOfSameIdSetsHeaderThenTokenTravelsThere() throws Exception {
		this.server.enqueue(token("orders-token"));
		this.server.enqueue(new MockResponse.Builder().body("ok").build());
		ordersInSpringSecurity().withPropertyValues("tokenkit.spring-security-registrations=true",
				"tokenkit.registrations.orders.header-name=x-access-token",
				"tokenkit.registrations.orders.header-format={token}", "tokenkit.registrations.orders.refresh-skew=45s",
				"tokenkit.clients.orders.base-url=" + this.server.url("/api"),
				"tokenkit.clients.orders.registration=orders", "tokenkit.clients.orders.type=web-client")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TokenManager.class).getRegistrations().get("orders").refreshSkew())
					.isEqualTo(Duration.ofSeconds(45));
				WebClient orders = context.getBean("ordersWebClient", WebClient.class);
				assertThat(orders.get().uri("/items").retrieve().bodyToMono(String.class).block()).isEqualTo("ok");
				this.server.takeRequest(5, TimeUnit.SECONDS);
				RecordedRequest api = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(api.getHeaders().get("x-access-token")).isEqualTo("orders-token");
				assertThat(api.getHeaders().get("Authorization")).isNull();
			});
	}

	@Test
	void registrationIdWhenReusedThenAcceptedByServiceGroupPropertyAnnotationInterceptorsAndFilters() throws Exception {
		this.server.enqueue(token("orders-token"));
		this.server.enqueue(new MockResponse.Builder().body("by property").build());
		this.server.enqueue(new MockResponse.Builder().body("by annotation").build());
		ordersInSpringSecurity()
			.withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
					HttpServiceClientAutoConfiguration.class, TokenKitHttpServiceGroupAutoConfiguration.class))
			.withUserConfiguration(OrdersGroups.class)
			.withPropertyValues("tokenkit.spring-security-registrations=true",
					"tokenkit.service-groups.orders.registration=orders",
					"spring.http.serviceclient.orders.base-url=" + this.server.url("/api"),
					"spring.http.serviceclient.annotated.base-url=" + this.server.url("/api"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BearerTokenInterceptors.class).interceptor("orders")).isNotNull();
				assertThat(context.getBean(BearerTokenFilters.class).filter("orders")).isNotNull();
				HttpServiceProxyRegistry registry = context.getBean(HttpServiceProxyRegistry.class);
				assertThat(registry.getClient("orders", PlainOrdersApi.class).hello()).isEqualTo("by property");
				assertThat(registry.getClient("annotated", AnnotatedOrdersApi.class).hello())
					.isEqualTo("by annotation");
				this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(this.server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
					.isEqualTo("Bearer orders-token");
				assertThat(this.server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
					.isEqualTo("Bearer orders-token");
			});
	}

	@Test
	void fromSpringSecurityWhenSpringSecurityClientNotOnClassPathThenStillServed() throws Exception {
		this.server.enqueue(token("orders-token"));
		ordersInSpringSecurity().withPropertyValues("tokenkit.registrations.orders.from-spring-security=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2.client"))
			.run((context) -> assertThat(
					context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block().getTokenValue())
				.isEqualTo("orders-token"));
	}

	@Test
	void mappingWhenClientCredentialsThenDefinitionNamesSpringSecurityProperties() {
		List<RegistrationDefinition> definitions = new ArrayList<>();
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.registrations.orders.from-spring-security=true",
					"tokenkit.registrations.orders.refresh-skew=10s")
			.withBean("recording", RegistrationTokenSourceFactory.class, () -> recording(definitions))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RegistrationDefinition orders = definitions.get(0);
				assertThat(orders.getGrantType()).isEqualTo("client_credentials");
				assertThat(orders.getTokenUri()).isEqualTo(this.server.url("/oauth2/token").toString());
				assertThat(orders.getClientId()).isEqualTo("orders-app");
				assertThat(orders.getClientSecret()).isEqualTo(SECRET);
				assertThat(orders.getClientAuthentication()).isEqualTo(ClientAuthenticationMethod.BASIC);
				assertThat(orders.getScopes()).containsExactly("orders.read", "orders.write");
				assertThat(orders.getRefreshSkew()).isEqualTo(Duration.ofSeconds(10));
				assertThat(orders.getRefreshToken()).isNull();
				assertThat(orders.property("client-id")).isEqualTo(REGISTRATION + "orders.client-id");
				assertThat(orders.property("client-secret")).isEqualTo(REGISTRATION + "orders.client-secret");
				assertThat(orders.property("token-uri")).isEqualTo(PROVIDER + "auth.token-uri");
				assertThat(orders.property("grant-type")).isEqualTo(REGISTRATION + "orders.authorization-grant-type");
				assertThat(orders.property("client-authentication"))
					.isEqualTo(REGISTRATION + "orders.client-authentication-method");
				assertThat(orders.property("scopes")).isEqualTo(REGISTRATION + "orders.scope");
				assertThat(orders.property("refresh-skew")).isEqualTo("tokenkit.registrations.orders.refresh-skew");
				assertThat(orders.toString()).doesNotContain(SECRET);
			});
	}

	@Test
	void mappingWhenAuthorizationCodeThenPerUserRefreshTokenWithoutScopes() {
		List<RegistrationDefinition> definitions = new ArrayList<>();
		usersInSpringSecurity().withPropertyValues("tokenkit.spring-security-registrations=true")
			.withBean("recording", RegistrationTokenSourceFactory.class, () -> recording(definitions))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RegistrationDefinition users = definitions.get(0);
				assertThat(users.getId()).isEqualTo("users");
				assertThat(users.getGrantType()).isEqualTo("refresh_token");
				assertThat(users.getRefreshToken()).isNull();
				assertThat(users.getScopes()).isEmpty();
				assertThat(users.getTokenUri()).isEqualTo(this.server.url("/oauth2/token").toString());
				assertThat(users.getRefreshSkew()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void mappingWhenCommonProviderThenItsTokenUriAuthenticationMethodAndGrantType() {
		List<RegistrationDefinition> definitions = new ArrayList<>();
		this.contextRunner.withPropertyValues(REGISTRATION + "google.client-id=google-app",
				REGISTRATION + "google.client-secret=" + SECRET, REGISTRATION + "facebook.client-id=fb-app",
				REGISTRATION + "facebook.client-secret=" + SECRET, REGISTRATION + "login.provider=github",
				REGISTRATION + "login.client-id=gh-app", REGISTRATION + "login.client-secret=" + SECRET,
				REGISTRATION + "corp.provider=okta", REGISTRATION + "corp.client-id=okta-app",
				REGISTRATION + "corp.client-secret=" + SECRET,
				PROVIDER + "okta.token-uri=https://corp.okta.com/oauth2/v1/token", REGISTRATION + "x.client-id=x-app",
				REGISTRATION + "x.client-secret=" + SECRET, "tokenkit.spring-security-registrations=true")
			.withBean("recording", RegistrationTokenSourceFactory.class, () -> recording(definitions))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(definitions).extracting(RegistrationDefinition::getId)
					.containsExactly("google", "facebook", "login", "corp", "x");
				assertThat(definitions)
					.allSatisfy((definition) -> assertThat(definition.getGrantType()).isEqualTo("refresh_token"));
				assertThat(definitions).extracting(RegistrationDefinition::getTokenUri)
					.containsExactly("https://www.googleapis.com/oauth2/v4/token",
							"https://graph.facebook.com/v2.8/oauth/access_token",
							"https://github.com/login/oauth/access_token", "https://corp.okta.com/oauth2/v1/token",
							"https://api.x.com/2/oauth2/token");
				assertThat(definitions).extracting(RegistrationDefinition::getClientAuthentication)
					.containsExactly(ClientAuthenticationMethod.BASIC, ClientAuthenticationMethod.POST,
							ClientAuthenticationMethod.BASIC, ClientAuthenticationMethod.BASIC,
							ClientAuthenticationMethod.POST);
			});
	}

	@Test
	void mappingWhenProviderHasIssuerAndTokenUriThenTokenUriUsed() {
		List<RegistrationDefinition> definitions = new ArrayList<>();
		ordersInSpringSecurity()
			.withPropertyValues(PROVIDER + "auth.issuer-uri=https://auth.example.com",
					"tokenkit.registrations.orders.from-spring-security=true")
			.withBean("recording", RegistrationTokenSourceFactory.class, () -> recording(definitions))
			.run((context) -> assertThat(definitions.get(0).getTokenUri())
				.isEqualTo(this.server.url("/oauth2/token").toString()));
	}

	@Test
	void bindingWhenRegistrationHoldsSecretThenToStringHidesIt() {
		SpringSecurityRegistrations registrations = SpringSecurityRegistrations
			.bind(new Binder(new MapConfigurationPropertySource(Map.of(REGISTRATION + "orders.client-id", "orders-app",
					REGISTRATION + "orders.client-secret", SECRET, REGISTRATION + "orders.scope", "a, b"))));
		assertThat(registrations.ids()).containsExactly("orders");
		assertThat(new SpringSecurityRegistrations.Registration("auth", "orders-app", SECRET, null, null, Set.of())
			.toString()).contains("orders-app").doesNotContain(SECRET);
	}

	@Test
	void failureWhenFromSpringSecurityAndGrantSettingsThenAnalysisListsThemWithoutValues() {
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.registrations.orders.from-spring-security=true",
					"tokenkit.registrations.orders.client-id=other-app",
					"tokenkit.registrations.orders.client-secret=" + SECRET + "-tokenkit",
					"tokenkit.registrations.orders.client-authentication=basic")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("'tokenkit.registrations.orders.from-spring-security'", "client-id", "client-secret",
							"client-authentication", REGISTRATION + "orders")
					.doesNotContain(SECRET, "other-app");
				assertThat(analysis.getAction()).contains("tokenkit.registrations.orders.client-id",
						"header-name, header-format, refresh-skew, client-key.*, client-assertion.*, fapi, revocation-uri, "
								+ "revoke-on-remove, revoke-access-token, audiences, resources and token-exchange.*",
						"remove");
			});
	}

	@Test
	void failureWhenFromSpringSecurityAndNoSuchSpringSecurityRegistrationThenAnalysisNamesIt() {
		ordersInSpringSecurity().withPropertyValues("tokenkit.registrations.billing.from-spring-security=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("'tokenkit.registrations.billing.from-spring-security'", "no " + REGISTRATION + "billing",
							"[orders]")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains(REGISTRATION + "billing.*");
			});
	}

	@Test
	void failureWhenSpringSecurityRegistrationsAndNoneConfiguredThenAnalysisNamesSwitch() {
		this.contextRunner.withPropertyValues("tokenkit.spring-security-registrations=true").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'tokenkit.spring-security-registrations'",
					"no registration under spring.security.oauth2.client.registration");
			assertThat(analysis.getAction()).contains("remove it");
		});
	}

	@Test
	void failureWhenSpringSecurityRegistrationsAndTokenKitRegistrationOfSameIdHasGrantThenClash() {
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.spring-security-registrations=true",
					"tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=" + SECRET + "-static")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("'tokenkit.spring-security-registrations'", "grant-type", "token")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("another id");
			});
	}

	@Test
	void failureWhenClientAuthenticationMethodNotServedThenAnalysisNamesPropertyAndWhatToDo() {
		for (String method : new String[] { "none", "client_secret_x509" }) {
			ordersInSpringSecurity()
				.withPropertyValues(REGISTRATION + "orders.client-authentication-method=" + method,
						"tokenkit.registrations.orders.from-spring-security=true")
				.run((context) -> {
					FailureAnalysis analysis = analyze(context);
					assertThat(analysis.getDescription()).as(method)
						.contains("'" + REGISTRATION + "orders.client-authentication-method'", "'" + method + "'",
								"client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, "
										+ "tls_client_auth or self_signed_tls_client_auth")
						.doesNotContain(SECRET);
					assertThat(analysis.getAction())
						.contains("remove tokenkit.registrations.orders.from-spring-security");
				});
		}
	}

	@Test
	void mappingWhenKeyOrCertificateMethodThenServedWithClientKeySettingsBesideRegistration() {
		Map<String, ClientAuthenticationMethod> methods = Map.of("private_key_jwt",
				ClientAuthenticationMethod.PRIVATE_KEY_JWT, "client_secret_jwt",
				ClientAuthenticationMethod.CLIENT_SECRET_JWT, "tls_client_auth",
				ClientAuthenticationMethod.TLS_CLIENT_AUTH, "self_signed_tls_client_auth",
				ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
		methods.forEach((method, expected) -> {
			List<RegistrationDefinition> definitions = new ArrayList<>();
			ordersInSpringSecurity()
				.withPropertyValues(REGISTRATION + "orders.client-authentication-method=" + method,
						"tokenkit.registrations.orders.from-spring-security=true",
						"tokenkit.registrations.orders.client-key.file=/keys/orders.pem",
						"tokenkit.registrations.orders.client-key.key-id=k1",
						"tokenkit.registrations.orders.client-assertion.audience=https://auth.example.com",
						"tokenkit.registrations.orders.client-assertion.lifetime=30s",
						"tokenkit.registrations.orders.fapi=true")
				.withBean("recording", RegistrationTokenSourceFactory.class, () -> recording(definitions))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					RegistrationDefinition orders = definitions.get(0);
					assertThat(orders.getClientAuthentication()).as(method).isEqualTo(expected);
					assertThat(orders.getClientKey().file()).isEqualTo("/keys/orders.pem");
					assertThat(orders.getClientKey().keyId()).isEqualTo("k1");
					assertThat(orders.getAssertionAudience()).isEqualTo("https://auth.example.com");
					assertThat(orders.getAssertionLifetime()).hasSeconds(30);
					assertThat(orders.isFapi()).isTrue();
					assertThat(orders.property("client-key.file"))
						.isEqualTo("tokenkit.registrations.orders.client-key.file");
					assertThat(orders.property("fapi")).isEqualTo("tokenkit.registrations.orders.fapi");
				});
		});
	}

	@Test
	void exchangeAndJwtBearerGrantTypesUnderSwitchThenServedWithIncomingToken() {
		for (String grantType : new String[] { "urn:ietf:params:oauth:grant-type:jwt-bearer",
				"urn:ietf:params:oauth:grant-type:token-exchange" }) {
			ordersInSpringSecurity()
				.withPropertyValues(REGISTRATION + "orders.authorization-grant-type=" + grantType,
						"tokenkit.spring-security-registrations=true")
				.run((context) -> {
					assertThat(context).as(grantType).hasNotFailed();
					assertThat(context.getBean(TokenManager.class).getRegistration("orders").keyResolver())
						.isInstanceOfSatisfying(SubjectTokenKeyResolver.class,
								(resolver) -> assertThat(resolver.readsIncomingToken()).isTrue());
				});
		}
	}

	@Test
	void reusedTokenExchangeWhenTokenKitSubjectGrantSettingsThenEachInTheForm() throws Exception {
		this.server.enqueue(token("exchanged-token"));
		ordersInSpringSecurity().withPropertyValues(REGISTRATION + "orders.authorization-grant-type=" + TOKEN_EXCHANGE,
				"tokenkit.registrations.orders.from-spring-security=true",
				"tokenkit.registrations.orders.audiences=orders-api,billing-api",
				"tokenkit.registrations.orders.resources=https://orders.example.com/api",
				"tokenkit.registrations.orders.token-exchange.subject-token-type=jwt",
				"tokenkit.registrations.orders.token-exchange.requested-token-type=access-token",
				"tokenkit.registrations.orders.token-exchange.actor-token-registration=self",
				"tokenkit.registrations.orders.token-exchange.actor-token-type=access-token",
				"tokenkit.registrations.self.grant-type=static", "tokenkit.registrations.self.token=self-actor-token")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(exchange(context, "incoming-subject")).isEqualTo("exchanged-token");
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(form(request)).containsEntry("grant_type", TOKEN_EXCHANGE)
					.containsEntry("subject_token", "incoming-subject")
					.containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
					.containsEntry("requested_token_type", "urn:ietf:params:oauth:token-type:access_token")
					.containsEntry("actor_token", "self-actor-token")
					.containsEntry("actor_token_type", "urn:ietf:params:oauth:token-type:access_token")
					.containsEntry("scope", "orders.read orders.write");
				assertThat(values(request, "audience")).containsExactly("orders-api", "billing-api");
				assertThat(values(request, "resource")).containsExactly("https://orders.example.com/api");
			});
	}

	@Test
	void reusedJwtBearerWhenAudiencesAndResourcesThenInTheFormBesideTheAssertion() throws Exception {
		this.server.enqueue(token("bearer-granted-token"));
		ordersInSpringSecurity().withPropertyValues(REGISTRATION + "orders.authorization-grant-type=" + JWT_BEARER,
				"tokenkit.spring-security-registrations=true", "tokenkit.registrations.orders.audiences=orders-api",
				"tokenkit.registrations.orders.resources=https://orders.example.com/api,https://billing.example.com/api")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(exchange(context, "incoming-jwt")).isEqualTo("bearer-granted-token");
				RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(form(request)).containsEntry("grant_type", JWT_BEARER)
					.containsEntry("assertion", "incoming-jwt");
				assertThat(values(request, "audience")).containsExactly("orders-api");
				assertThat(values(request, "resource")).containsExactly("https://orders.example.com/api",
						"https://billing.example.com/api");
			});
	}

	@Test
	void failureWhenReusedRegistrationGrantDoesNotTakeSubjectGrantSettingThenAnalysisNamesBothProperties() {
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.registrations.orders.from-spring-security=true",
					"tokenkit.registrations.orders.audiences=orders-api")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'tokenkit.registrations.orders.audiences'",
						"token-exchange or jwt-bearer", REGISTRATION + "orders.authorization-grant-type");
				assertThat(analysis.getAction()).contains(TOKEN_EXCHANGE + " or " + JWT_BEARER);
			});
		ordersInSpringSecurity()
			.withPropertyValues(REGISTRATION + "orders.authorization-grant-type=" + JWT_BEARER,
					"tokenkit.registrations.orders.from-spring-security=true",
					"tokenkit.registrations.orders.token-exchange.subject-token-type=jwt")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"'tokenkit.registrations.orders.token-exchange.subject-token-type'",
					REGISTRATION + "orders.authorization-grant-type"));
	}

	/**
	 * Return the token of the registration {@code orders} for a subject token given per
	 * call, as a request carrying it would get.
	 */
	private static String exchange(AssertableApplicationContext context, String subjectToken) {
		TokenManager manager = context.getBean(TokenManager.class);
		Map<String, Object> attributes = new java.util.HashMap<>();
		SubjectTokenKeyResolver.subjectToken(subjectToken).accept(attributes);
		TokenKey key = manager.getRegistration("orders").keyResolver().resolve(attributes, TokenKey.of("orders"));
		return manager.getToken(key).block(Duration.ofSeconds(10)).getTokenValue();
	}

	private static List<String> values(RecordedRequest request, String name) {
		List<String> values = new ArrayList<>();
		for (String pair : request.getBody().utf8().split("&")) {
			int equals = pair.indexOf('=');
			if (java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
				values.add(java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return values;
	}

	@Test
	void failureWhenUnsupportedGrantTypeUnderSwitchThenAnalysisSaysHowToKeepSpringSecurity() {
		String grantType = "password";
		ordersInSpringSecurity()
			.withPropertyValues(REGISTRATION + "orders.authorization-grant-type=" + grantType,
					"tokenkit.spring-security-registrations=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).as(grantType)
					.contains("'" + REGISTRATION + "orders.authorization-grant-type'", "'" + grantType + "'",
							"client_credentials, authorization_code")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("remove tokenkit.spring-security-registrations",
						"tokenkit.registrations.<id>.from-spring-security=true");
			});
	}

	@Test
	void failureWhenGrantTypeMissingForCustomProviderThenAnalysisNamesIt() {
		this.contextRunner
			.withPropertyValues(REGISTRATION + "orders.provider=auth", REGISTRATION + "orders.client-id=orders-app",
					PROVIDER + "auth.token-uri=https://auth.example.com/oauth2/token",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'" + REGISTRATION + "orders.authorization-grant-type'",
						"not set");
				assertThat(analysis.getAction()).contains("client_credentials", "authorization_code");
			});
	}

	@Test
	void fromSpringSecurityWhenProviderKnownOnlyByIssuerThenNothingFetchedAtStartUpAndTokenEndpointFromMetadata()
			throws Exception {
		String issuer = this.server.url("/realms/shop").toString();
		this.contextRunner
			.withPropertyValues(REGISTRATION + "orders.provider=auth", REGISTRATION + "orders.client-id=orders-app",
					REGISTRATION + "orders.client-secret=" + SECRET,
					REGISTRATION + "orders.authorization-grant-type=client_credentials",
					PROVIDER + "auth.issuer-uri=" + issuer, "tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.server.getRequestCount()).isZero();
				this.server.enqueue(new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + this.server.url("/realms/shop/token")
							+ "\"}")
					.build());
				this.server.enqueue(token("orders-token"));
				TokenManager manager = context.getBean(TokenManager.class);
				assertThat(manager.getToken(TokenKey.of("orders")).block().getTokenValue()).isEqualTo("orders-token");
				assertThat(this.server.takeRequest(5, TimeUnit.SECONDS).getTarget())
					.isEqualTo("/realms/shop/.well-known/openid-configuration");
				assertThat(this.server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/realms/shop/token");
			});
	}

	@Test
	void failureWhenProviderHasNoTokenUriNorIssuerThenAnalysisAsksForTokenUri() {
		this.contextRunner
			.withPropertyValues(REGISTRATION + "corp.provider=okta", REGISTRATION + "corp.client-id=okta-app",
					REGISTRATION + "corp.client-secret=" + SECRET, "tokenkit.spring-security-registrations=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'" + PROVIDER + "okta.token-uri'", "not set");
				assertThat(analysis.getAction()).contains("token endpoint");
			});
	}

	@Test
	void failureWhenNoProviderThenAnalysisNamesProviderProperty() {
		this.contextRunner
			.withPropertyValues(REGISTRATION + "orders.client-id=orders-app",
					REGISTRATION + "orders.authorization-grant-type=client_credentials",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'" + REGISTRATION + "orders.provider'", "not set");
				assertThat(analysis.getAction()).contains(PROVIDER + "orders.token-uri");
			});
		this.contextRunner
			.withPropertyValues(REGISTRATION + "orders.provider=acme", REGISTRATION + "orders.client-id=orders-app",
					PROVIDER + "auth.token-uri=https://auth.example.com/oauth2/token",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'" + REGISTRATION + "orders.provider'", "'acme'");
				assertThat(analysis.getAction()).contains(PROVIDER + "acme.token-uri", "[auth]");
			});
	}

	@Test
	void failureWhenAuthorizationCodeWithoutSecretThenAnalysisExplainsPublicClient() {
		this.contextRunner
			.withPropertyValues(REGISTRATION + "users.provider=auth", REGISTRATION + "users.client-id=users-app",
					REGISTRATION + "users.authorization-grant-type=authorization_code",
					PROVIDER + "auth.token-uri=https://auth.example.com/oauth2/token",
					"tokenkit.registrations.users.from-spring-security=true")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'" + REGISTRATION + "users.client-secret'",
						"public client");
				assertThat(analysis.getAction()).contains("Set " + REGISTRATION + "users.client-secret",
						"remove tokenkit.registrations.users.from-spring-security");
			});
	}

	@Test
	void failureWhenClientCredentialsWithoutSecretThenAnalysisNamesSpringSecurityProperty() {
		this.contextRunner
			.withPropertyValues(REGISTRATION + "orders.provider=auth", REGISTRATION + "orders.client-id=orders-app",
					REGISTRATION + "orders.authorization-grant-type=client_credentials",
					PROVIDER + "auth.token-uri=https://auth.example.com/oauth2/token",
					"tokenkit.registrations.orders.from-spring-security=true")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'" + REGISTRATION + "orders.client-secret'", "client_credentials"));
	}

	@Test
	void failureWhenTokenUriMalformedOrInsecureThenAnalysisNamesProviderProperty() {
		for (String tokenUri : new String[] { "auth.example.com/token", "http://auth.example.com/token" }) {
			this.contextRunner.withPropertyValues(REGISTRATION + "orders.provider=auth",
					REGISTRATION + "orders.client-id=orders-app", REGISTRATION + "orders.client-secret=" + SECRET,
					REGISTRATION + "orders.authorization-grant-type=client_credentials",
					PROVIDER + "auth.token-uri=" + tokenUri, "tokenkit.registrations.orders.from-spring-security=true")
				.run((context) -> assertThat(analyze(context).getDescription()).as(tokenUri)
					.contains("'" + PROVIDER + "auth.token-uri'")
					.doesNotContain(SECRET));
		}
	}

	@Test
	void failureWhenUnknownRegistrationIdByClientThenKnownListsReusedRegistrations() {
		ordersInSpringSecurity()
			.withPropertyValues("tokenkit.spring-security-registrations=true",
					"tokenkit.clients.billing.base-url=https://billing.example.com",
					"tokenkit.clients.billing.registration=billing")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'tokenkit.clients.billing.registration'", "[orders]"));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "orders", types = PlainOrdersApi.class)
	@ImportHttpServices(group = "annotated", types = AnnotatedOrdersApi.class)
	static class OrdersGroups {

	}

	interface PlainOrdersApi {

		@GetExchange("/hello")
		String hello();

	}

	@TokenKitRegistration("orders")
	interface AnnotatedOrdersApi {

		@GetExchange("/hello")
		String hello();

	}

	private static RegistrationTokenSourceFactory recording(List<RegistrationDefinition> definitions) {
		return new RegistrationTokenSourceFactory() {

			@Override
			public Set<String> grantTypes() {
				return Set.of("client_credentials", "refresh_token");
			}

			@Override
			public TokenSource create(RegistrationDefinition registration) {
				definitions.add(registration);
				return (key) -> Mono.empty();
			}

		};
	}

	private static MockResponse token(String value) {
		return new MockResponse.Builder()
			.body("{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
			.addHeader("Content-Type", "application/json")
			.build();
	}

	private static String basic(String clientId, String clientSecret) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new java.util.LinkedHashMap<>();
		for (String pair : request.getBody().utf8().split("&")) {
			int equals = pair.indexOf('=');
			form.put(java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return form;
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
