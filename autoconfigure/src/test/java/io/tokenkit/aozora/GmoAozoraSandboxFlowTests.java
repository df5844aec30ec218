package io.tokenkit.aozora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bank's authorization with PKCE, PAR and the callback's {@code iss}, each switched
 * on by its property, against the test kit's {@link GmoAozoraSandbox} requiring them: the
 * sandbox checks the {@code code_verifier} against the challenge, takes only pushed
 * requests and puts {@code iss} on its callbacks. A browser follows the consent page; the
 * callback is completed on the application context that built the URL, or on a second one
 * sharing a real {@code redis-server}.
 */
class GmoAozoraSandboxFlowTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final String SESSION = "session-7";

	private static final String SCOPES = "private:account,offline_access";

	private static final HttpClient browser = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void authorizationWhenPkceParAndIssSwitchedOnThenUrlCarriesOnlyRequestUriAndCallbackCompletesWithVerifiedCode() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePkce,
				GmoAozoraSandbox.Builder::requirePushedAuthorization, GmoAozoraSandbox.Builder::sendIss);
		assertThat(bank.properties()).containsEntry("tokenkit.gmo-aozora.pkce", "true")
			.containsEntry("tokenkit.gmo-aozora.par", "true")
			.containsEntry("tokenkit.gmo-aozora.par-uri", bank.pushedAuthorizationRequestUri())
			.containsEntry("tokenkit.gmo-aozora.check-iss", "true");
		GmoAozoraClient client = instance(bank).getBean(GmoAozoraClient.class);
		assertThat(client.preparesAuthorization()).isTrue();

		URI uri = client.prepareAuthorization(SESSION).block(Duration.ofSeconds(10));
		assertThat(uri.toString()).startsWith(bank.authBaseUrl() + "/authorization?");
		assertThat(query(uri)).containsOnlyKeys("client_id", "request_uri")
			.containsEntry("client_id", bank.properties().get("tokenkit.gmo-aozora.client-id"));
		assertThat(query(uri).get("request_uri")).startsWith("urn:ietf:params:oauth:request_uri:");
		Map<String, String> consent = consent(uri);
		assertThat(consent.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
		assertThat(consent.get("state")).matches("[0-9a-f]{64}\\.[A-Za-z0-9_-]{43}").hasSizeLessThanOrEqualTo(128);
		Map<String, String> callback = approve(bank, consent);
		assertThat(callback).containsKeys("code", "state").containsEntry("iss", bank.issuer());

		AccessToken token = client.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(10));
		assertThat(token.getRefreshToken()).isNotNull();
		HttpResponse<String> accounts = send(HttpRequest.newBuilder(URI.create(bank.personalApiBaseUrl() + "/accounts"))
			.header("x-access-token", token.getTokenValue()));
		assertThat(accounts.statusCode()).isEqualTo(200);
		assertThatExceptionOfType(GmoAozoraStateException.class).as("the callback replayed")
			.isThrownBy(() -> client.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(10)))
			.withMessageContaining("already completed")
			.withMessageContaining("start a new authorization");
	}

	@Test
	void callbackWhenItCarriesAnotherIssuerThenRefusedSayingWhatToDoAndTheGenuineCallbackStillCompletes() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePkce,
				GmoAozoraSandbox.Builder::requirePushedAuthorization, GmoAozoraSandbox.Builder::sendIss);
		BlockingGmoAozoraClient client = instance(bank).getBean(BlockingGmoAozoraClient.class);
		Map<String, String> callback = approve(bank, consent(client.authorizationUri(SESSION)));
		Map<String, String> mixedUp = new LinkedHashMap<>(callback);
		mixedUp.put("iss", "https://attacker.example/");

		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
			.isThrownBy(() -> client.completeAuthorization(SESSION, mixedUp))
			.withMessageContaining("'https://attacker.example/'")
			.withMessageContaining("'" + bank.issuer() + "'")
			.withMessageContaining("refuse it and start a new authorization")
			.withMessageContaining("set tokenkit.gmo-aozora.issuer")
			.satisfies((ex) -> {
				assertThat(ex.getExpectedIssuer()).isEqualTo(bank.issuer());
				assertThat(ex.getIssuer()).isEqualTo("https://attacker.example/");
			});
		Map<String, String> mixedUpError = Map.of("error", "access_denied", "state", callback.get("state"), "iss",
				"https://attacker.example/");
		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class).as("an error answer is checked first")
			.isThrownBy(() -> client.completeAuthorization(SESSION, mixedUpError));

		assertThat(client.completeAuthorization(SESSION, callback).getTokenValue()).isNotEmpty();
	}

	@Test
	void parWhenNoParUriThenPushedToTheEndpointTheIssuersMetadataNames() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::selfIssued,
				GmoAozoraSandbox.Builder::requirePushedAuthorization);
		assertThat(bank.properties()).containsEntry("tokenkit.gmo-aozora.par", "true")
			.doesNotContainKey("tokenkit.gmo-aozora.par-uri")
			.containsEntry("tokenkit.gmo-aozora.issuer", bank.issuer());
		GmoAozoraClient client = instance(bank).getBean(GmoAozoraClient.class);

		URI uri = client.prepareAuthorization(SESSION).block(Duration.ofSeconds(10));
		assertThat(query(uri)).containsOnlyKeys("client_id", "request_uri");
		Map<String, String> callback = approve(bank, consent(uri));
		assertThat(callback).doesNotContainKey("iss");
		assertThat(client.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(10)).getTokenValue())
			.isNotEmpty();
	}

	@Test
	void callbackWhenTheIssuersMetadataSaysIssIsSentAndTheCallbackHasNoneThenRefusedWithoutCheckIss() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::selfIssued,
				GmoAozoraSandbox.Builder::requirePushedAuthorization, GmoAozoraSandbox.Builder::sendIss);
		Map<String, String> properties = new LinkedHashMap<>(bank.properties());
		properties.put("tokenkit.gmo-aozora.check-iss", "false");
		GmoAozoraClient client = instance(properties).getBean(GmoAozoraClient.class);
		Map<String, String> callback = approve(bank,
				consent(client.prepareAuthorization(SESSION).block(Duration.ofSeconds(10))));
		Map<String, String> stripped = new LinkedHashMap<>(callback);
		stripped.remove("iss");

		assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
			.isThrownBy(() -> client.completeAuthorization(SESSION, stripped).block(Duration.ofSeconds(10)))
			.withMessageContaining("carries no iss although issuer '" + bank.issuer() + "'");
		assertThat(client.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(10)).getTokenValue())
			.isNotEmpty();
	}

	@Test
	void parWhenTheIssuersMetadataCannotBeHadThenTypedFailureNamingParUri() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePushedAuthorization);
		Map<String, String> properties = new LinkedHashMap<>(bank.properties());
		properties.remove("tokenkit.gmo-aozora.par-uri");
		properties.put("tokenkit.gmo-aozora.issuer", bank.authBaseUrl() + "/nowhere");
		GmoAozoraClient client = instance(properties).getBean(GmoAozoraClient.class);

		assertThatExceptionOfType(GmoAozoraPushedAuthorizationException.class)
			.isThrownBy(() -> client.prepareAuthorization(SESSION).block(Duration.ofSeconds(10)))
			.withMessageContaining("No pushed authorization request endpoint")
			.withMessageContaining("set tokenkit.gmo-aozora.par-uri");
	}

	@Test
	void pkceWhenSwitchedOffAndTheBankRequiresItThenTheBankRefusesTheAuthorization() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePkce);
		Map<String, String> properties = new LinkedHashMap<>(bank.properties());
		properties.remove("tokenkit.gmo-aozora.pkce");
		GmoAozoraClient client = instance(properties).getBean(GmoAozoraClient.class);
		URI uri = client.authorizationUri(SESSION);
		assertThat(query(uri)).doesNotContainKeys("code_challenge", "code_challenge_method", "request_uri");

		HttpResponse<String> refused = send(HttpRequest.newBuilder(uri));
		assertThat(refused.statusCode()).isEqualTo(302);
		Map<String, String> callback = query(URI.create(refused.headers().firstValue("Location").orElseThrow()));
		assertThatExceptionOfType(GmoAozoraAuthorizationException.class)
			.isThrownBy(() -> client.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo("invalid_request"));
	}

	@Test
	void pkceWhenSwitchedOnThenTheSynchronousUrlOfTheReactiveClientAndTheBareCodeExchangeSayWhatToUse() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePkce);
		GmoAozoraClient client = instance(bank).getBean(GmoAozoraClient.class);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.authorizationUri(SESSION))
			.withMessageContaining("use prepareAuthorization(sessionId)");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> client.exchangeCode("code-1").block(Duration.ofSeconds(10)))
			.withMessageContaining("use completeAuthorization");
		URI uri = client.prepareAuthorization(SESSION).block(Duration.ofSeconds(10));
		assertThat(query(uri)).containsEntry("code_challenge_method", "S256").containsKey("code_challenge");
	}

	@Test
	void callbackWhenItLandsOnASecondApplicationContextSharingRedisThenCompletedThereOnceAndRefusedOnBoth() {
		GmoAozoraSandbox bank = sandbox(GmoAozoraSandbox.Builder::requirePkce,
				GmoAozoraSandbox.Builder::requirePushedAuthorization, GmoAozoraSandbox.Builder::sendIss);
		Map<String, String> properties = new LinkedHashMap<>(bank.properties());
		properties.put("spring.data.redis.port", Integer.toString(redisServer.port()));
		properties.put("tokenkit.store.type", "redis");
		properties.put("tokenkit.store.redis.key-prefix", "flow:");
		properties.put("tokenkit.store.subject-key", "test-subject-key-0123456789abcdef");
		ConfigurableApplicationContext first = instance(properties);
		ConfigurableApplicationContext second = instance(properties);
		first.getBean(ReactiveStringRedisTemplate.class)
			.execute((connection) -> connection.serverCommands().flushAll())
			.blockLast(Duration.ofSeconds(5));

		URI uri = first.getBean(GmoAozoraClient.class).prepareAuthorization(SESSION).block(Duration.ofSeconds(10));
		List<String> keys = first.getBean(ReactiveStringRedisTemplate.class)
			.keys("*")
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(keys).singleElement().asString().matches("flow:one-time:gmo-aozora-pkce:[0-9a-f]{64}");
		Map<String, String> callback = approve(bank, consent(uri));

		AccessToken token = second.getBean(GmoAozoraClient.class)
			.completeAuthorization(SESSION, callback)
			.block(Duration.ofSeconds(10));
		assertThat(token.getTokenValue()).isNotEmpty();
		for (ConfigurableApplicationContext instance : List.of(second, first)) {
			assertThatExceptionOfType(GmoAozoraStateException.class).as("the callback replayed")
				.isThrownBy(() -> instance.getBean(GmoAozoraClient.class)
					.completeAuthorization(SESSION, callback)
					.block(Duration.ofSeconds(10)));
		}
	}

	@SafeVarargs
	private GmoAozoraSandbox sandbox(Consumer<GmoAozoraSandbox.Builder>... switches) {
		GmoAozoraSandbox.Builder builder = GmoAozoraSandbox.builder()
			.redirectUri("https://app.example.com/bank/callback");
		for (Consumer<GmoAozoraSandbox.Builder> on : switches) {
			on.accept(builder);
		}
		GmoAozoraSandbox bank = builder.start();
		this.closeables.add(bank);
		return bank;
	}

	private ConfigurableApplicationContext instance(GmoAozoraSandbox bank) {
		return instance(bank.properties());
	}

	private ConfigurableApplicationContext instance(Map<String, String> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("tokenkit.gmo-aozora.state-salt", "flow-salt");
		all.put("tokenkit.gmo-aozora.scopes", SCOPES);
		all.put("spring.main.banner-mode", "off");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				GmoAozoraManyInstancesTests.Instance.class)
			.web(WebApplicationType.NONE)
			.properties(all)
			.run();
		this.closeables.add(0, context);
		return context;
	}

	/**
	 * Open the authorization URL as a browser and return the consent form's fields, which
	 * carry the request the bank took.
	 */
	private static Map<String, String> consent(URI authorization) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(authorization));
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
			.matcher(page.body());
		while (hidden.find()) {
			fields.put(hidden.group(1), hidden.group(2).replace("&quot;", "\"").replace("&amp;", "&"));
		}
		return fields;
	}

	/**
	 * Press the consent page's approve button and return the parameters of the redirect
	 * to the callback.
	 */
	private static Map<String, String> approve(GmoAozoraSandbox bank, Map<String, String> consent) {
		Map<String, String> form = new LinkedHashMap<>(consent);
		form.put("decision", "approve");
		String body = form.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		HttpResponse<String> decision = send(
				HttpRequest.newBuilder(URI.create(bank.authBaseUrl() + "/authorization/decision"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(decision.statusCode()).isEqualTo(302);
		URI location = URI.create(decision.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith("https://app.example.com/bank/callback?");
		return query(location);
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			int equals = pair.indexOf('=');
			parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return parameters;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
