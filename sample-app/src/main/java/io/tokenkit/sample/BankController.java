package io.tokenkit.sample;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.tokenkit.aozora.GmoAozoraAuthorizationException;
import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraStateException;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebSession;

/**
 * The "Connect your bank account" pages, the GMO Aozora Net Bank authorization-code flow
 * as a customer meets it in a browser:
 * <ol>
 * <li>{@code GET /bank}: a page with a "Connect your bank account" link;</li>
 * <li>{@code GET /bank/connect}: redirects to the bank's consent page with an OpenID
 * Connect authorization URL whose {@code state} is bound to this browser's session and
 * whose {@code nonce} is remembered;</li>
 * <li>{@code GET /bank/callback}: checks {@code state}, exchanges the code, verifies the
 * ID token and saves the customer's token in the token manager (registration
 * {@code bank}, subject = the customer);</li>
 * <li>{@code GET /bank/status}: the connection's status: token masked, expiry, scopes,
 * and a button that calls the bank's accounts API ({@code POST /bank/accounts}) through
 * the {@code bank} WebClient, whose bearer filter sends the customer's token in
 * {@code x-access-token} and refreshes it when needed.</li>
 * </ol>
 * The customer is identified by a random id kept in the WebFlux session.
 */
@Controller
class BankController {

	static final String REGISTRATION = "bank";

	private static final String CUSTOMER = "customerId";

	private final GmoAozoraClient aozora;

	private final TokenManager tokenManager;

	private final WebClient bank;

	private final Clock clock = Clock.systemUTC();

	private final TokenStore tokenStore;

	BankController(GmoAozoraClient aozora, TokenManager tokenManager, TokenStore tokenStore,
			@Qualifier("bank") WebClient bank) {
		this.aozora = aozora;
		this.tokenManager = tokenManager;
		this.tokenStore = tokenStore;
		this.bank = bank;
	}

	@GetMapping("/bank")
	String home(WebSession session, Model model) {
		model.addAttribute("connected", token(session) != null);
		return "bank";
	}

	@GetMapping("/bank/connect")
	Mono<Void> connect(WebSession session, ServerHttpResponse response) {
		session.getAttributes().putIfAbsent(CUSTOMER, UUID.randomUUID().toString());
		return this.aozora.openIdAuthorizationUri(session.getId()).flatMap((uri) -> redirect(response, uri));
	}

	@GetMapping("/bank/callback")
	Mono<String> callback(WebSession session, @RequestParam Map<String, String> parameters, Model model,
			ServerHttpResponse response) {
		String customer = session.getAttribute(CUSTOMER);
		if (customer == null) {
			return refused(response, model, "This browser did not start a bank connection.");
		}
		return this.aozora.completeOpenIdAuthorization(session.getId(), parameters)
			.flatMap((tokens) -> this.tokenManager.save(TokenKey.of(REGISTRATION, customer), tokens.token()))
			.thenReturn("redirect:/bank/status")
			.onErrorResume(GmoAozoraStateException.class,
					(ex) -> refused(response, model,
							"The state of the callback does not match this browser's session."))
			.onErrorResume(GmoAozoraAuthorizationException.class,
					(ex) -> refused(response, model, "The bank did not authorize the connection ("
							+ ((ex.getError() != null) ? ex.getError() : "no code") + ")."));
	}

	@GetMapping("/bank/status")
	String status(WebSession session, Model model) {
		AccessToken token = token(session);
		if (token == null) {
			return "redirect:/bank";
		}
		model.addAttribute("token", TokenView.of(token, this.clock));
		return "bank-status";
	}

	@PostMapping("/bank/accounts")
	Mono<String> accounts(WebSession session, Model model) {
		String customer = session.getAttribute(CUSTOMER);
		if (token(session) == null || customer == null) {
			return Mono.just("redirect:/bank");
		}
		return this.bank.get()
			.uri("/accounts")
			.attributes(BearerTokenExchangeFilterFunction.subject(customer))
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.map((body) -> {
				model.addAttribute("accounts", body.get("accounts"));
				model.addAttribute("baseDate", body.get("baseDate"));
				AccessToken token = token(session);
				if (token != null) {
					model.addAttribute("token", TokenView.of(token, this.clock));
				}
				return "bank-status";
			});
	}

	/**
	 * The customer's stored token, expired or not: an expired token with a refresh token
	 * is still a connection, which the bearer filter refreshes on the next bank call.
	 */
	private AccessToken token(WebSession session) {
		String customer = session.getAttribute(CUSTOMER);
		return (customer != null) ? this.tokenStore.get(TokenKey.of(REGISTRATION, customer)) : null;
	}

	private static Mono<String> refused(ServerHttpResponse response, Model model, String reason) {
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		model.addAttribute("reason", reason);
		return Mono.just("bank-refused");
	}

	private static Mono<Void> redirect(ServerHttpResponse response, URI uri) {
		response.setStatusCode(HttpStatus.FOUND);
		response.getHeaders().setLocation(uri);
		return response.setComplete();
	}

}
