package io.tokenkit.autoconfigure;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.RSAKey;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraIssuerMismatchException;
import io.tokenkit.aozora.GmoAozoraPushedAuthorizationClient;
import io.tokenkit.aozora.GmoAozoraPushedAuthorizationException;
import io.tokenkit.aozora.GmoAozoraState;
import io.tokenkit.aozora.GmoAozoraTokenClient;
import io.tokenkit.aozora.GmoAozoraTokenException;
import io.tokenkit.aozora.GmoAozoraTokenSource;
import io.tokenkit.aozora.InMemoryNonceStore;
import io.tokenkit.discovery.ServerMetadata;
import io.tokenkit.discovery.ServerMetadataClient;
import io.tokenkit.discovery.ServerMetadataRegistry;
import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.KeycloakAdmin;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryOneTimeValueStore;
import io.tokenkit.token.TokenKey;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The GMO Aozora client's PKCE, PAR and issuer check against a real Keycloak 26 (realm
 * {@code tk} of {@code /work/shared/tools/keycloak.sh}) whose built-in FAPI 2.0 DPoP
 * client profile ({@code fapi-2-dpop-security-profile}: {@code private_key_jwt} PS256
 * with the issuer as audience, PKCE {@code S256}, parameters only through PAR, consent,
 * DPoP-bound tokens) is enforced on the client by a realm client policy. The requests are
 * pushed to the endpoint Keycloak's metadata names, a browser logs {@code alice} in and
 * consents, the callback's {@code iss} is checked, and the code exchange with a DPoP
 * proof of the client's key gets a token bound to that key ({@code token_type}
 * {@code DPoP}, {@code cnf.jkt}); without a proof, or with a wrong {@code code_verifier},
 * it is refused, each for its own reason. Skipped unless
 * {@code tokenkit.keycloak.token-uri} is set (the {@code keycloak} Maven profile sets
 * it).
 */
@EnabledIfSystemProperty(named = "tokenkit.keycloak.token-uri", matches = ".+")
class KeycloakGmoAozoraParTests {

	private static final String ISSUER = KeycloakClientAuthenticationTests.ISSUER;

	private static final KeycloakAdmin admin = KeycloakClientAuthenticationTests.admin;

	private static final String CLIENT_ID = "kc-aozora-par-app";

	private static final String ROLE = "tk-aozora-fapi-2-dpop";

	private static final String POLICY = "tk-aozora-fapi-2-dpop";

	private static final String REDIRECT_URI = "https://app.example.com/bank/callback";

	private static final String SESSION = "kc-session-1";

	private static final TokenCallPolicy POLICY_OF_CALLS = TokenCallPolicy.DEFAULT.withMaxRetries(0);

	private static final TestKeystores keys = new TestKeystores();

	@Test
	void metadataWhenReadByTokenKitThenParEndpointDpopAlgorithmsAndTheIssParameter() throws Exception {
		ServerMetadata metadata = new ServerMetadataClient(WebClient.create(), POLICY_OF_CALLS, true).fetch(ISSUER)
			.block(Duration.ofSeconds(30));
		System.out.println("Keycloak metadata: pushed_authorization_request_endpoint "
				+ metadata.pushedAuthorizationRequestEndpoint() + ", dpop_signing_alg_values_supported "
				+ metadata.dpopSigningAlgValuesSupported());
		assertThat(metadata.pushedAuthorizationRequestEndpoint())
			.hasToString(ISSUER + "/protocol/openid-connect/ext/par/request");
		assertThat(metadata.dpopSigningAlgValuesSupported()).contains("ES256", "PS256");
		String raw = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(ISSUER + "/.well-known/openid-configuration")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(raw).contains("\"authorization_response_iss_parameter_supported\":true");
	}

	@Test
	void authorizationWhenFapi2DpopProfileEnforcedThenParPkcePrivateKeyJwtIssAndDpopGiveADpopBoundToken()
			throws Exception {
		Path store = keys.selfSigned("kc-aozora-par", "CN=" + CLIENT_ID, "-keyalg", "RSA", "-keysize", "2048");
		createClient(Base64.getEncoder().encodeToString(TestKeystores.certificate(store).getEncoded()));
		ClientKey clientKey = new ClientKey(privateKey(store), ClientKeyAlgorithm.PS256, null);
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt(CLIENT_ID, clientKey, ISSUER,
				Duration.ofSeconds(60), Clock.systemUTC());
		// the client's one key signs its assertions and its DPoP proofs
		DpopProofs dpop = new DpopProofs(clientKey, Clock.systemUTC());
		String thumbprint = new RSAKey.Builder((RSAPublicKey) TestKeystores.publicKey(store)).build()
			.computeThumbprint()
			.toString();
		assertThat(dpop.getThumbprint()).isEqualTo(thumbprint);
		addPolicy();
		try {
			GmoAozoraPushedAuthorizationClient pushed = pushedAuthorization(authentication);
			GmoAozoraClient bank = client(authentication, null);
			assertThatExceptionOfType(GmoAozoraPushedAuthorizationException.class)
				.as("the policy is in force: a pushed request without PKCE is refused")
				.isThrownBy(() -> bank.withPushedAuthorization(pushed)
					.prepareAuthorization(SESSION)
					.block(Duration.ofSeconds(30)))
				.satisfies((ex) -> {
					System.out.println("Keycloak, FAPI 2.0 DPoP profile, PAR without PKCE: " + ex.getMessage());
					assertThat(ex.getStatusCode()).isEqualTo(400);
				});

			// without DPoP: PAR, PKCE, the assertion and iss pass, the missing proof is
			// refused
			GmoAozoraClient fapi = fapi(bank, pushed);
			Map<String, String> callback = authorize(fapi);
			Map<String, String> mixedUp = new LinkedHashMap<>(callback);
			mixedUp.put("iss", ISSUER + "-other");
			assertThatExceptionOfType(GmoAozoraIssuerMismatchException.class)
				.isThrownBy(() -> fapi.completeAuthorization(SESSION, mixedUp).block(Duration.ofSeconds(30)));
			String missingProof = refusal(
					() -> fapi.completeAuthorization(SESSION, callback).block(Duration.ofSeconds(30)),
					"code exchange without a DPoP proof");
			assertThat(missingProof).containsIgnoringCase("dpop");

			// with DPoP, a wrong code_verifier: the proof passes, PKCE refuses
			GmoAozoraClient fapiDpop = fapi(client(authentication, dpop), pushed);
			Map<String, String> second = authorize(fapiDpop);
			String wrongVerifier = refusal(() -> fapiDpop.getTokenClient()
				.exchange(second.get("code"), REDIRECT_URI, "w".repeat(43))
				.block(Duration.ofSeconds(30)), "code exchange with a DPoP proof and a wrong code_verifier");
			assertThat(wrongVerifier).isNotEqualTo(missingProof).doesNotContainIgnoringCase("dpop");

			// with DPoP: a DPoP-bound token
			Map<String, String> third = authorize(fapiDpop);
			AccessToken token = fapiDpop.completeAuthorization(SESSION, third).block(Duration.ofSeconds(30));
			System.out.println("Keycloak, code exchange with a DPoP proof: token_type " + token.getTokenType()
					+ ", cnf " + claims(token.getTokenValue()).get("cnf"));
			assertThat(token.getTokenType()).isEqualTo("DPoP");
			assertThat(token.getKeyThumbprint()).isEqualTo(thumbprint);
			assertThat(claims(token.getTokenValue())).extractingByKey("cnf")
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("jkt", thumbprint);

			// the refresh with a proof keeps the binding, and the API (Keycloak's
			// userinfo) takes the token with the DPoP scheme and a proof with ath only
			AccessToken refreshed = new GmoAozoraTokenSource(fapiDpop.getTokenClient().forRegistration("bank"),
					Clock.systemUTC())
				.refresh(TokenKey.of("bank", "alice"), token)
				.block(Duration.ofSeconds(30));
			assertThat(refreshed.getTokenType()).isEqualTo("DPoP");
			assertThat(refreshed.getTokenValue()).isNotEqualTo(token.getTokenValue());
			assertThat(refreshed.getKeyThumbprint()).isEqualTo(thumbprint);
			assertThat(claims(refreshed.getTokenValue())).extractingByKey("cnf")
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("jkt", thumbprint);
			URI userinfo = URI.create(ISSUER + "/protocol/openid-connect/userinfo");
			HttpHeaders headers = new HttpHeaders();
			dpop.authorizer().authorize(refreshed, HttpMethod.GET, userinfo, headers);
			assertThat(headers.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("DPoP " + refreshed.getTokenValue());
			assertThat(userinfo(userinfo, headers)).as("userinfo with the DPoP scheme and a proof")
				.extracting(HttpResponse::statusCode)
				.isEqualTo(200);
			HttpHeaders bearer = new HttpHeaders();
			bearer.setBearerAuth(refreshed.getTokenValue());
			HttpResponse<String> refused = userinfo(userinfo, bearer);
			System.out.println("Keycloak, userinfo with the DPoP-bound token as a bearer token: " + refused.statusCode()
					+ " " + refused.headers().firstValue("WWW-Authenticate").orElse(""));
			assertThat(refused.statusCode()).isEqualTo(401);
		}
		finally {
			removePolicy();
		}
	}

	/** The client with PKCE, PAR and the issuer check, as the profile asks. */
	private static GmoAozoraClient fapi(GmoAozoraClient client, GmoAozoraPushedAuthorizationClient pushed) {
		return client.withPkce(new InMemoryOneTimeValueStore(Clock.systemUTC()), Duration.ofMinutes(5))
			.withPushedAuthorization(pushed)
			.withIssuerCheck(ISSUER);
	}

	/**
	 * Push an authorization request, log {@code alice} in and consent, and return the
	 * callback's parameters, checked as Keycloak sends them.
	 */
	private static Map<String, String> authorize(GmoAozoraClient client) throws Exception {
		URI uri = client.prepareAuthorization(SESSION).block(Duration.ofSeconds(30));
		assertThat(query(uri)).containsOnlyKeys("client_id", "request_uri");
		Map<String, String> callback = logInAndConsent(uri);
		System.out.println("Keycloak, callback parameters: " + callback.keySet() + ", iss " + callback.get("iss"));
		assertThat(callback).containsKeys("code", "state").containsEntry("iss", ISSUER);
		return callback;
	}

	/**
	 * Return the error and description of a code exchange Keycloak refuses with a
	 * {@code 400} once the client's {@code private_key_jwt} assertion has passed (a wrong
	 * assertion is a {@code 401} {@code invalid_client}).
	 */
	private static String refusal(Runnable exchange, String what) {
		AtomicReference<String> refusal = new AtomicReference<>();
		assertThatExceptionOfType(GmoAozoraTokenException.class).isThrownBy(exchange::run).satisfies((ex) -> {
			System.out.println("Keycloak, " + what + ": " + ex.getMessage());
			assertThat(ex.getStatusCode()).isEqualTo(400);
			refusal.set(ex.getError() + " " + ex.getErrorDescription());
		});
		return refusal.get();
	}

	private static HttpResponse<String> userinfo(URI uri, HttpHeaders headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
		headers.forEach((name, values) -> values.forEach((value) -> request.header(name, value)));
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The claims of a JWT access token, read without checking its signature. */
	private static Map<String, Object> claims(String jwt) {
		return JsonMapper.shared()
			.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), new TypeReference<Map<String, Object>>() {
			});
	}

	private static GmoAozoraClient client(ClientAuthentication authentication, DpopProofs dpop) {
		GmoAozoraTokenClient tokens = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(KeycloakClientAuthenticationTests.TOKEN_URI), authentication, TokenRequestObserver.NOOP,
				POLICY_OF_CALLS);
		return new GmoAozoraClient(URI.create(ISSUER + "/protocol/openid-connect/auth"), REDIRECT_URI,
				List.of("openid"), new GmoAozoraState("kc-aozora-salt"),
				(dpop != null) ? tokens.withDpop(dpop) : tokens, new InMemoryNonceStore(Clock.systemUTC()), null,
				Clock.systemUTC());
	}

	/** Pushes to the endpoint Keycloak's metadata names. */
	private static GmoAozoraPushedAuthorizationClient pushedAuthorization(ClientAuthentication authentication) {
		WebClient webClient = WebClient.create();
		ServerMetadataRegistry registry = ServerMetadataRegistry.withClient(
				() -> new ServerMetadataClient(webClient, POLICY_OF_CALLS, true), Duration.ofSeconds(30),
				Clock.systemUTC());
		return new GmoAozoraPushedAuthorizationClient(webClient,
				GmoAozoraPushedAuthorizationClient.endpointOf(registry.forIssuer(ISSUER)), authentication,
				TokenRequestObserver.NOOP, POLICY_OF_CALLS);
	}

	/**
	 * Open the authorization URL as a browser, log {@code alice} in, consent, and return
	 * the parameters of the redirect to the callback.
	 */
	private static Map<String, String> logInAndConsent(URI authorization) throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> page = browser.get(URI.create(authorization.toString()));
		for (int step = 0; step < 6; step++) {
			if (page.statusCode() == 302) {
				String location = page.headers().firstValue("Location").orElseThrow();
				if (location.startsWith(REDIRECT_URI + "?")) {
					return query(URI.create(location));
				}
				page = browser.get(page.uri().resolve(location));
				continue;
			}
			assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
			Matcher consent = Pattern.compile("name=\"code\" value=\"([^\"]+)\"").matcher(page.body());
			if (page.body().contains("name=\"password\"")) {
				page = browser.post(formAction(page),
						Map.of("username", "alice", "password", "alice-pw", "credentialId", ""));
			}
			else if (consent.find()) {
				page = browser.post(formAction(page), Map.of("code", consent.group(1), "accept", "Yes"));
			}
			else {
				throw new AssertionError("Neither a login nor a consent page: " + page.body());
			}
		}
		throw new AssertionError("No redirect to the callback after six pages");
	}

	/** The action of a page's first form, resolved against the page's address. */
	private static URI formAction(HttpResponse<String> page) {
		Matcher action = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
		assertThat(action.find()).as(page.body()).isTrue();
		return page.uri().resolve(action.group(1).replace("&amp;", "&"));
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			String[] parts = pair.split("=", 2);
			parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode((parts.length > 1) ? parts[1] : "", StandardCharsets.UTF_8));
		}
		return parameters;
	}

	/**
	 * Create the confidential client of the authorization code flow, replacing one of the
	 * same id, with the role that the policy's condition names.
	 */
	private static void createClient(String certificate) throws Exception {
		String existing = KeycloakAdmin.field(admin.send("GET", "/clients?clientId=" + CLIENT_ID, null), "id");
		if (existing != null) {
			admin.send("DELETE", "/clients/" + existing, null);
		}
		admin.send("POST", "/clients", "{\"clientId\":\"" + CLIENT_ID + "\",\"publicClient\":false,"
				+ "\"standardFlowEnabled\":true,\"serviceAccountsEnabled\":false,\"directAccessGrantsEnabled\":false,"
				+ "\"consentRequired\":true,\"fullScopeAllowed\":false,\"clientAuthenticatorType\":\"client-jwt\","
				+ "\"redirectUris\":[\"" + REDIRECT_URI + "\"],\"attributes\":{\"jwt.credential.certificate\":\""
				+ certificate + "\",\"use.jwks.url\":\"false\",\"token.endpoint.auth.signing.alg\":\"PS256\","
				+ "\"pkce.code.challenge.method\":\"S256\",\"require.pushed.authorization.requests\":\"true\","
				+ "\"dpop.bound.access.tokens\":\"true\"}}");
		String id = KeycloakAdmin.field(admin.send("GET", "/clients?clientId=" + CLIENT_ID, null), "id");
		admin.send("POST", "/clients/" + id + "/roles", "{\"name\":\"" + ROLE + "\"}");
	}

	/**
	 * Add this test's policy to the realm's client policies, keeping the others: the
	 * client's role links it to {@code fapi-2-dpop-security-profile}.
	 */
	private static void addPolicy() throws Exception {
		List<Object> policies = policiesWithout(POLICY);
		policies.add(Map.of("name", POLICY, "enabled", true, "conditions",
				List.of(Map.of("condition", "client-roles", "configuration", Map.of("roles", List.of(ROLE)))),
				"profiles", List.of("fapi-2-dpop-security-profile")));
		admin.send("PUT", "/client-policies/policies",
				JsonMapper.shared().writeValueAsString(Map.of("policies", policies)));
	}

	private static void removePolicy() throws Exception {
		admin.send("PUT", "/client-policies/policies",
				JsonMapper.shared().writeValueAsString(Map.of("policies", policiesWithout(POLICY))));
	}

	private static List<Object> policiesWithout(String name) throws Exception {
		Map<String, Object> current = JsonMapper.shared()
			.readValue(admin.send("GET", "/client-policies/policies", null), new TypeReference<Map<String, Object>>() {
			});
		List<Object> policies = new ArrayList<>();
		Object listed = current.get("policies");
		if (listed instanceof List<?> list) {
			list.stream()
				.filter((policy) -> !(policy instanceof Map<?, ?> map && name.equals(map.get("name"))))
				.forEach(policies::add);
		}
		return policies;
	}

	/**
	 * A browser that follows no redirect and keeps Keycloak's cookies itself (the JDK's
	 * cookie manager does not send back the {@code Secure} ones over plain http).
	 */
	private static final class Browser {

		private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

		private final Map<String, String> cookies = new LinkedHashMap<>();

		HttpResponse<String> get(URI uri) throws Exception {
			return send(HttpRequest.newBuilder(uri).GET());
		}

		HttpResponse<String> post(URI action, Map<String, String> form) throws Exception {
			return send(HttpRequest.newBuilder(action)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(KeycloakAdmin.form(form))));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
			if (!this.cookies.isEmpty()) {
				request.header("Cookie",
						this.cookies.entrySet()
							.stream()
							.map((cookie) -> cookie.getKey() + "=" + cookie.getValue())
							.collect(java.util.stream.Collectors.joining("; ")));
			}
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			for (String cookie : response.headers().allValues("Set-Cookie")) {
				String pair = cookie.split(";", 2)[0];
				int equals = pair.indexOf('=');
				this.cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
			}
			return response;
		}

	}

	private static PrivateKey privateKey(Path store) throws Exception {
		KeyStore keyStore = TestKeystores.load(store);
		return (PrivateKey) keyStore.getKey(keyStore.aliases().nextElement(), TestKeystores.PASSWORD.toCharArray());
	}

}
