package io.tokenkit.sample;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * GMO Aozora Net Bank on plain HTTP endpoints, with the {@link GmoAozoraClient} and the
 * {@code bank} registration TokenKit configures from {@code tokenkit.gmo-aozora.*}:
 * <ul>
 * <li>{@code GET /demo/gmo-aozora/authorization-url}: an OAuth 2.0 and an OpenID Connect
 * authorization URL (state bound to a demo session id, nonce remembered);</li>
 * <li>{@code POST /demo/gmo-aozora} (against the sandbox only,
 * {@code sample.sandbox.enabled}): the code round trip with this application playing the
 * customer's browser: authorization URL → consent page → approve → callback parameters →
 * state check, code exchange and ID-token check → token saved → bank API call through the
 * bearer filter → refresh now ({@link TokenManager#refresh}). For the same flow in a real
 * browser, open {@code /bank}.</li>
 * </ul>
 */
@RestController
class GmoAozoraDemoController {

	private static final String DEMO_SESSION = "demo-session";

	private static final String DEMO_CUSTOMER = "demo-customer";

	private final GmoAozoraClient aozora;

	private final TokenManager tokenManager;

	private final WebClient bank;

	private final WebClient.Builder webClientBuilder;

	private final Environment environment;

	private final Clock clock = Clock.systemUTC();

	GmoAozoraDemoController(GmoAozoraClient aozora, TokenManager tokenManager, @Qualifier("bank") WebClient bank,
			WebClient.Builder webClientBuilder, Environment environment) {
		this.aozora = aozora;
		this.tokenManager = tokenManager;
		this.bank = bank;
		this.webClientBuilder = webClientBuilder;
		this.environment = environment;
	}

	@GetMapping("/demo/gmo-aozora/authorization-url")
	Mono<Map<String, Object>> authorizationUrl() {
		return this.aozora.openIdAuthorizationUri(DEMO_SESSION).map((openId) -> {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("oauth2", this.aozora.authorizationUri(DEMO_SESSION).toString());
			result.put("openIdConnect", openId.toString());
			return result;
		});
	}

	@PostMapping("/demo/gmo-aozora")
	Mono<Map<String, Object>> roundTrip() {
		if (!this.environment.getProperty("sample.sandbox.enabled", Boolean.class, false)) {
			return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
					"Only with the bank's sandbox; with the real bank, open /bank in a browser"));
		}
		TokenKey key = TokenKey.of(BankController.REGISTRATION, DEMO_CUSTOMER);
		Map<String, Object> result = new LinkedHashMap<>();
		return this.aozora.openIdAuthorizationUri(DEMO_SESSION).flatMap(this::approveAsBrowser).flatMap((callback) -> {
			result.put("callback",
					Map.of("hasCode", callback.containsKey("code"), "hasState", callback.containsKey("state")));
			return this.aozora.completeOpenIdAuthorization(DEMO_SESSION, callback);
		}).flatMap((tokens) -> {
			result.put("exchange", TokenView.of(tokens.token(), this.clock));
			result.put("idToken", Map.of("verified", true, "issuer", tokens.idToken().issuer()));
			return this.tokenManager.save(key, tokens.token()).thenReturn(tokens.token());
		}).flatMap((token) -> callBank().flatMap((accounts) -> {
			result.put("accounts", accounts);
			return this.tokenManager.refresh(key).map((refreshed) -> {
				Map<String, Object> refresh = new LinkedHashMap<>();
				refresh.put("token", TokenView.of(refreshed, this.clock));
				refresh.put("newAccessToken", !refreshed.getTokenValue().equals(token.getTokenValue()));
				refresh.put("newRefreshToken",
						!String.valueOf(refreshed.getRefreshToken()).equals(String.valueOf(token.getRefreshToken())));
				result.put("refresh", refresh);
				return result;
			});
		}));
	}

	private Mono<Object> callBank() {
		return this.bank.get()
			.uri("/accounts")
			.attributes(BearerTokenExchangeFilterFunction.subject(DEMO_CUSTOMER))
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.map((body) -> body.get("accounts"));
	}

	/**
	 * Play the customer's browser at the sandbox: open the consent page, approve, and
	 * read the callback's query parameters from the redirect.
	 */
	private Mono<Map<String, String>> approveAsBrowser(URI authorizationUri) {
		// A browser reads the redirect to the callback; it must not be followed here.
		WebClient browser = this.webClientBuilder.clone()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create().followRedirect(false)))
			.build();
		Map<String, String> query = UriComponentsBuilder.fromUri(authorizationUri)
			.build()
			.getQueryParams()
			.toSingleValueMap();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		for (String name : new String[] { "client_id", "redirect_uri", "scope", "state", "nonce" }) {
			form.add(name, decode(query.getOrDefault(name, "")));
		}
		form.add("decision", "approve");
		URI decision = UriComponentsBuilder.fromUri(authorizationUri)
			.replacePath(authorizationUri.getPath() + "/decision")
			.replaceQuery(null)
			.build(true)
			.toUri();
		return browser.get()
			.uri(authorizationUri)
			.retrieve()
			.toBodilessEntity()
			.then(browser.post()
				.uri(decision)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> response.releaseBody()
					.then(Mono.justOrEmpty(response.headers().asHttpHeaders().getLocation()))))
			.map((location) -> UriComponentsBuilder.fromUri(location).build().getQueryParams().toSingleValueMap())
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("The sandbox's consent did not redirect")))
			.map((parameters) -> {
				Map<String, String> decoded = new LinkedHashMap<>();
				parameters.forEach((name, value) -> decoded.put(name, decode(value)));
				return decoded;
			});
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

}
