package io.tokenkit.sample;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.tokenkit.saasus.AuthorizationTempCode;
import io.tokenkit.saasus.Credentials;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * The SaaSus flow: temp code → credentials → refresh, with the {@link SaasusClient} and
 * the {@code saasus-users} registration that TokenKit configures from
 * {@code tokenkit.saasus.*}.
 * <ul>
 * <li>{@code GET /demo/saasus/callback?code=…} is what a SaaSus login callback does:
 * exchange the temp code ({@code GET /credentials?code=…}), save the user's token,
 * refresh it now through the token manager ({@link TokenManager#refresh}:
 * {@code GET /credentials?auth-flow=refreshTokenAuth}), then hand the tokens on with
 * {@code POST /credentials} and read them back with the new temp code;</li>
 * <li>{@code POST /demo/saasus} does the same against the SaaSus sandbox of TokenKit's
 * test kit, first asking it for the temp code a user's sign-in would produce.</li>
 * </ul>
 * Tokens are shown masked; the temp codes are shown masked too.
 */
@RestController
class SaasusDemoController {

	static final String REGISTRATION = "saasus-users";

	/**
	 * The property that names the SaaSus sandbox's stand-in for the hosted login page,
	 * set only when the sample runs against the sandbox ({@code TestSampleApplication}).
	 */
	static final String LOGIN_URL_PROPERTY = "sample.sandbox.saasus-login-url";

	private static final String DEMO_USER = "demo-user";

	private final SaasusClient saasus;

	private final SaasusTokenConverter converter;

	private final TokenManager tokenManager;

	private final WebClient.Builder webClientBuilder;

	private final Environment environment;

	private final Clock clock = Clock.systemUTC();

	SaasusDemoController(SaasusClient saasus, SaasusTokenConverter converter, TokenManager tokenManager,
			WebClient.Builder webClientBuilder, Environment environment) {
		this.saasus = saasus;
		this.converter = converter;
		this.tokenManager = tokenManager;
		this.webClientBuilder = webClientBuilder;
		this.environment = environment;
	}

	/**
	 * {@code POST /demo/saasus}: sign a demo user in at the SaaSus sandbox, then run the
	 * callback flow.
	 * @return the steps and their outcomes
	 */
	@PostMapping("/demo/saasus")
	Mono<Map<String, Object>> local() {
		String loginUrl = this.environment.getProperty(LOGIN_URL_PROPERTY);
		if (loginUrl == null) {
			return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
					"Only with the SaaSus sandbox; with real SaaSus, sign in and use /demo/saasus/callback?code=…"));
		}
		// Not TokenKit: the sandbox stands for the SaaSus login page that issues a temp
		// code.
		return this.webClientBuilder.build()
			.post()
			.uri(loginUrl)
			.retrieve()
			.bodyToMono(AuthorizationTempCode.class)
			.flatMap((tempCode) -> callback(tempCode.code()));
	}

	/**
	 * {@code GET /demo/saasus/callback?code=…}: temp code → credentials → saved token →
	 * refresh → credentials handed on with a new temp code.
	 * @param code the temp code of the SaaSus login callback
	 * @return the steps and their outcomes
	 */
	@GetMapping("/demo/saasus/callback")
	Mono<Map<String, Object>> callback(@RequestParam String code) {
		TokenKey key = TokenKey.of(REGISTRATION, DEMO_USER);
		List<Map<String, Object>> steps = new ArrayList<>();
		return this.saasus.getCredentials(code)
			.map((credentials) -> this.converter.convert(credentials))
			.flatMap((token) -> {
				steps.add(step("GET /credentials?code=… (tempCodeAuth)", token));
				return this.tokenManager.save(key, token).thenReturn(token);
			})
			.flatMap((token) -> this.tokenManager.refresh(key).map((refreshed) -> {
				Map<String, Object> step = step("GET /credentials?auth-flow=refreshTokenAuth (token manager)",
						refreshed);
				step.put("newAccessToken", !refreshed.getTokenValue().equals(token.getTokenValue()));
				steps.add(step);
				return refreshed;
			}))
			.flatMap((refreshed) -> this.saasus
				.saveCredentials(new Credentials(String.valueOf(refreshed.getIdToken()), refreshed.getTokenValue(),
						refreshed.getRefreshToken()))
				.flatMap((tempCode) -> {
					Map<String, Object> step = new LinkedHashMap<>();
					step.put("step", "POST /credentials");
					step.put("tempCode", TokenView.mask(tempCode.code()));
					steps.add(step);
					return this.saasus.getCredentials(tempCode.code());
				})
				.map((credentials) -> {
					Map<String, Object> step = new LinkedHashMap<>();
					step.put("step", "GET /credentials?code=… (the code from POST)");
					step.put("sameAccessToken", credentials.accessToken().equals(refreshed.getTokenValue()));
					steps.add(step);
					Map<String, Object> result = new LinkedHashMap<>();
					result.put("registration", REGISTRATION);
					result.put("steps", steps);
					return result;
				}));
	}

	private Map<String, Object> step(String name, AccessToken token) {
		Map<String, Object> step = new LinkedHashMap<>();
		step.put("step", name);
		step.put("token", TokenView.of(token, this.clock));
		return step;
	}

}
