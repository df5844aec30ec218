package io.tokenkit.starter;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.token.TokenKitException;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of the starter in a servlet application (Spring MVC on Tomcat, Boot's
 * {@link RestClient}) that has nothing else of HTTP: the starter brings {@code WebClient}
 * without Reactor Netty, so the application's {@code RestClient} keeps the transport Boot
 * picks without TokenKit (the JDK {@code HttpClient}), and TokenKit's own token calls go
 * through the JDK connector, with TokenKit's timeouts and no redirects.
 */
class ServletApplicationTests {

	private static final String JDK_USER_AGENT = "Java-http-client/";

	private final MockWebServer server = new MockWebServer();

	private final List<String> targets = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				ServletApplicationTests.this.targets.add(request.getTarget());
				return answer(request.getTarget());
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void restClientWhenStarterOnClassPathThenSameRequestFactoryAsWithout() throws Exception {
		Set<Path> starterOnly = starterOnly();
		Transport with = transport((entry) -> true);
		Transport without = transport((entry) -> !starterOnly.contains(entry));
		assertThat(with.tokenKit()).isTrue();
		assertThat(without.tokenKit()).isFalse();
		assertThat(with.requestFactory()).isEqualTo(without.requestFactory())
			.isEqualTo(JdkClientHttpRequestFactory.class.getName())
			.doesNotContain("Reactor");
		assertThat(with.userAgent()).isEqualTo(without.userAgent()).startsWith(JDK_USER_AGENT);
	}

	@Test
	void autoConfigurationWhenNoWebFluxThenTokenKitBacksOffAndConditionReportNamesWebClient() throws Exception {
		Set<Path> webFlux = locations(Stream.of("org.springframework.web.reactive.function.client.WebClient",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration"));
		Transport without = transport((entry) -> !webFlux.contains(entry),
				"tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=" + this.server.url("/oauth2/token"),
				"tokenkit.registrations.orders.client-id=servlet-app",
				"tokenkit.registrations.orders.client-secret=servlet-secret",
				"tokenkit.clients.orders.base-url=" + this.server.url("/api"),
				"tokenkit.clients.orders.registration=orders");
		assertThat(without.tokenKit()).isFalse();
		assertThat(without.requestFactory()).isEqualTo(JdkClientHttpRequestFactory.class.getName());
		List<String> tokenKitAutoConfigurations = ImportCandidates
			.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.tokenkit."))
			.toList();
		assertThat(tokenKitAutoConfigurations).isNotEmpty();
		for (String autoConfiguration : tokenKitAutoConfigurations) {
			assertThat(without.conditions()).as(autoConfiguration)
				.anySatisfy((outcome) -> assertThat(outcome).startsWith(autoConfiguration + ": ")
					.contains("did not find required class"));
		}
		// Redis, Actuator's health support and Spring Security's OAuth2 client are
		// missing
		// here too, and the report names the first class (by name) missing
		assertThat(without.conditions())
			.filteredOn(
					(outcome) -> !outcome.startsWith("io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration: ")
							&& !outcome.startsWith(
									"io.tokenkit.autoconfigure.health.TokenKitHealthContributorAutoConfiguration: ")
							&& !outcome.startsWith(
									"io.tokenkit.autoconfigure.security.TokenKitSpringSecurityAutoConfiguration: "))
			.isNotEmpty()
			.allSatisfy((outcome) -> assertThat(outcome)
				.contains("'org.springframework.web.reactive.function.client.WebClient'"));
		assertThat(this.targets).containsExactly("/plain");
	}

	@Test
	void tokenCallWhenServletApplicationThenJdkConnectorAndTokenSent() throws Exception {
		try (ConfigurableApplicationContext context = start("/oauth2/token")) {
			RestClient orders = context.getBean("ordersRestClient", RestClient.class);
			assertThat(orders.get().uri("/orders").retrieve().body(String.class)).isEqualTo("[]");
			RecordedRequest tokenRequest = this.server.takeRequest(5, TimeUnit.SECONDS);
			RecordedRequest apiRequest = this.server.takeRequest(5, TimeUnit.SECONDS);
			assertThat(tokenRequest).isNotNull();
			assertThat(apiRequest).isNotNull();
			assertThat(tokenRequest.getMethod()).isEqualTo("POST");
			assertThat(tokenRequest.getTarget()).isEqualTo("/oauth2/token");
			assertThat(tokenRequest.getBody().utf8()).contains("grant_type=client_credentials");
			assertThat(tokenRequest.getHeaders().get("User-Agent")).startsWith(JDK_USER_AGENT);
			assertThat(apiRequest.getTarget()).isEqualTo("/api/orders");
			assertThat(apiRequest.getHeaders().get("Authorization")).isEqualTo("Bearer servlet-token");
			assertThat(apiRequest.getHeaders().get("User-Agent")).startsWith(JDK_USER_AGENT);
		}
	}

	@Test
	void tokenCallWhenTokenEndpointRedirectsThenRedirectNotFollowed() {
		try (ConfigurableApplicationContext context = start("/oauth2/redirecting")) {
			RestClient orders = context.getBean("ordersRestClient", RestClient.class);
			assertThatExceptionOfType(TokenKitException.class)
				.isThrownBy(() -> orders.get().uri("/orders").retrieve().toBodilessEntity())
				.withMessageContaining("302");
			assertThat(this.targets).containsExactly("/oauth2/redirecting");
		}
	}

	@Test
	void tokenCallWhenTokenEndpointSlowerThanResponseTimeoutThenJdkClientTimesOut() {
		try (ConfigurableApplicationContext context = start("/oauth2/slow",
				"tokenkit.token-calls.response-timeout=500ms", "tokenkit.token-calls.connect-timeout=10s")) {
			RestClient orders = context.getBean("ordersRestClient", RestClient.class);
			// The JDK client's own timeout, set from
			// tokenkit.token-calls.response-timeout,
			// ends the call long before TokenKit's limit of the whole attempt (10.5s)
			assertThatExceptionOfType(TokenKitException.class)
				.isThrownBy(() -> orders.get().uri("/orders").retrieve().toBodilessEntity())
				.withMessageContaining("timed out (HttpTimeoutException)");
			assertThat(this.targets).containsExactly("/oauth2/slow");
		}
	}

	private ConfigurableApplicationContext start(String tokenPath, String... properties) {
		return new SpringApplicationBuilder(RestClientProbe.ServletApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=" + this.server.url(tokenPath),
					"tokenkit.registrations.orders.client-id=servlet-app",
					"tokenkit.registrations.orders.client-secret=servlet-secret", "tokenkit.token-calls.max-retries=0",
					"tokenkit.clients.orders.base-url=" + this.server.url("/api"),
					"tokenkit.clients.orders.registration=orders")
			.properties(properties)
			.run();
	}

	/**
	 * Start the servlet application, with Boot's auto-configuration, in a class loader of
	 * its own that has the test's class path less what {@code include} leaves out, and
	 * return its {@code RestClient} transport.
	 */
	private Transport transport(Predicate<Path> include, String... properties) throws Exception {
		URL[] urls = Arrays.stream(testClassPath())
			.filter(include)
			.map(ServletApplicationTests::toUrl)
			.toArray(URL[]::new);
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader classLoader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(classLoader);
			Method probe = Class.forName(RestClientProbe.class.getName(), true, classLoader)
				.getDeclaredMethod("probe", String.class, String[].class);
			probe.setAccessible(true);
			@SuppressWarnings("unchecked")
			List<String> result = (List<String>) probe.invoke(null, this.server.url("/plain").toString(), properties);
			RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
			assertThat(request).isNotNull();
			return new Transport(result.get(0), Boolean.parseBoolean(result.get(1)),
					request.getHeaders().get("User-Agent"), result.subList(2, result.size()));
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static Path[] testClassPath() {
		// Surefire runs the tests from a manifest-only jar and puts the class path here
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		return Arrays.stream(classPath.split(File.pathSeparator))
			.map((entry) -> Path.of(entry).toAbsolutePath().normalize())
			.toArray(Path[]::new);
	}

	/**
	 * Return where each library that the starter brings, and a servlet application with
	 * Boot's {@code RestClient} does not have, is on the class path: TokenKit, WebFlux,
	 * Boot's WebClient support and codecs, Reactor, Reactor Netty (were it back) and
	 * nimbus-jose-jwt.
	 */
	private static Set<Path> starterOnly() {
		return locations(Stream.of("io.tokenkit.autoconfigure.TokenKitAutoConfiguration",
				"org.springframework.web.reactive.function.client.WebClient",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
				"org.springframework.boot.http.codec.CodecCustomizer",
				"org.springframework.boot.reactor.ReactorEnvironmentPostProcessor", "reactor.core.publisher.Mono",
				"org.reactivestreams.Publisher", "reactor.netty.http.client.HttpClient",
				"com.nimbusds.jose.JWSAlgorithm"));
	}

	/**
	 * Return where the classes of the given names that are present are on the class path.
	 */
	private static Set<Path> locations(Stream<String> classNames) {
		return classNames.filter((name) -> ClassUtils.isPresent(name, ServletApplicationTests.class.getClassLoader()))
			.map(ServletApplicationTests::location)
			.collect(Collectors.toSet());
	}

	private static Path location(String className) {
		try {
			Class<?> type = ClassUtils.forName(className, ServletApplicationTests.class.getClassLoader());
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
				.toAbsolutePath()
				.normalize();
		}
		catch (ClassNotFoundException | URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static URL toUrl(Path path) {
		try {
			return path.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MockResponse answer(String target) {
		return switch (target) {
			case "/oauth2/token" -> new MockResponse.Builder().code(200)
				.setHeader("Content-Type", "application/json")
				.body("{\"access_token\":\"servlet-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
				.build();
			case "/oauth2/redirecting" ->
				new MockResponse.Builder().code(302).setHeader("Location", "/oauth2/token").build();
			case "/oauth2/slow" -> new MockResponse.Builder().code(200)
				.headersDelay(30, TimeUnit.SECONDS)
				.setHeader("Content-Type", "application/json")
				.body("{\"access_token\":\"late-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
				.build();
			case "/api/orders" -> new MockResponse.Builder().code(200).body("[]").build();
			default -> new MockResponse.Builder().code(204).build();
		};
	}

	/**
	 * A servlet application's {@code RestClient} transport.
	 *
	 * @param requestFactory the class of the request factory of Boot's
	 * {@code RestClient.Builder}
	 * @param tokenKit whether TokenKit was auto-configured
	 * @param userAgent the {@code User-Agent} the builder's client sent
	 * @param conditions the condition outcomes of TokenKit's auto-configurations
	 */
	private record Transport(String requestFactory, boolean tokenKit, String userAgent, List<String> conditions) {
	}

}
