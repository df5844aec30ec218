package io.tokenkit.testsupport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.TokenExchangeTokenSource;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenStore;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A token-exchange registration {@code ex} (30 s refresh skew) whose token endpoint
 * answers in memory with one fixed answer and counts its calls, for tests of exchanged
 * tokens over any store.
 */
public final class ExchangeRegistration {

	private ExchangeRegistration() {
	}

	/**
	 * Return an unsigned JWT of subject {@code alice}.
	 * @param exp its {@code exp}, in epoch seconds
	 * @return the JWT
	 */
	public static String jwt(long exp) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(("{\"sub\":\"alice\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8))
				+ ".sig";
	}

	/**
	 * Return a web client whose every request is answered at once with a JSON body.
	 * @param status the answer's status
	 * @param body the answer's body
	 * @param calls counts the requests
	 * @return the web client
	 */
	public static WebClient answering(HttpStatus status, String body, AtomicInteger calls) {
		return WebClient.builder().exchangeFunction((request) -> {
			calls.incrementAndGet();
			return Mono
				.just(ClientResponse.create(status).header("Content-Type", "application/json").body(body).build());
		}).build();
	}

	/**
	 * Return a manager of the registration {@code ex}, exchanging the subject tokens held
	 * through a web client.
	 * @param subjectTokens the subject tokens
	 * @param store the store
	 * @param clock the clock
	 * @param web the web client of the token endpoint
	 * @return the manager
	 */
	public static TokenManager manager(SubjectTokens subjectTokens, TokenStore store, Clock clock, WebClient web) {
		return manager(subjectTokens, store, clock, web, TokenEventListener.NONE);
	}

	/**
	 * Return a manager of the registration {@code ex}, exchanging the subject tokens held
	 * through a web client, that tells a listener what it does.
	 * @param subjectTokens the subject tokens
	 * @param store the store
	 * @param clock the clock
	 * @param web the web client of the token endpoint
	 * @param listener the listener
	 * @return the manager
	 */
	public static TokenManager manager(SubjectTokens subjectTokens, TokenStore store, Clock clock, WebClient web,
			TokenEventListener listener) {
		OAuth2TokenClient client = new OAuth2TokenClient(web, URI.create("http://as.test/token"), "gateway", "secret",
				ClientAuthenticationMethod.BASIC, "ex", "oauth2", TokenRequestObserver.NOOP);
		TokenExchangeTokenSource source = new TokenExchangeTokenSource(client, subjectTokens,
				TokenExchangeTokenSource.Settings.accessTokens(), List.of(), List.of(), List.of(), Map.of(), clock,
				TokenLifetimes.DEFAULT);
		return new TokenManager(List.of(new TokenRegistration("ex", source, Duration.ofSeconds(30))), store, clock,
				listener, Duration.ofSeconds(5));
	}

}
