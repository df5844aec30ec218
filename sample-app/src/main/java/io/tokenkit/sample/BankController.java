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
 * The pages read the customer's token with {@link TokenManager#getHeldToken}: the token
 * held, expired or not, never a token call. The customer is identified by a random id
 * kept in the WebFlux session.
 */
@Controller
class BankController {

	static final String REGISTRATION = "bank";

	private static final String CUSTOMER = "customerId";

	private final GmoAozoraClient aozora;

	private final TokenManager tokenManager;

	private final WebClient bank;

	private final Clock clock = Clock.systemUTC();

	BankController(GmoAozoraClient aozora, TokenManager tokenManager, @Qualifier("bank") WebClient bank) {
		this.aozora = aozora;
		this.tokenManager = tokenManager;
		this.bank = bank;
	}

	@GetMapping("/bank")
	Mono<String> home(WebSession session, Model model) {
		return token(session).hasElement().map((connected) -> {
			model.addAttribute("connected", connected);
			return "bank";
		});
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
	Mono<String> status(WebSession session, Model model) {
		return token(session).map((token) -> {
			model.addAttribute("token", TokenView.of(token, this.clock));
			return "bank-status";
		}).defaultIfEmpty("redirect:/bank");
	}

	@PostMapping("/bank/accounts")
	Mono<String> accounts(WebSession session, Model model) {
		String customer = session.getAttribute(CUSTOMER);
		if (customer == null) {
			return Mono.just("redirect:/bank");
		}
		return token(session).flatMap((held) -> this.bank.get()
			.uri("/accounts")
			.attributes(BearerTokenExchangeFilterFunction.subject(customer))
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.flatMap((body) -> {
				model.addAttribute("accounts", body.get("accounts"));
				model.addAttribute("baseDate", body.get("baseDate"));
				// the call may have refreshed the token: show the one held now
				return token(session).defaultIfEmpty(held);
			})
			.map((token) -> {
				model.addAttribute("token", TokenView.of(token, this.clock));
				return "bank-status";
			})).defaultIfEmpty("redirect:/bank");
	}

	/**
	 * The customer's token, expired or not: an expired token with a refresh token is
	 * still a connection, which the bearer filter refreshes on the next bank call.
	 */
	private Mono<AccessToken> token(WebSession session) {
		String customer = session.getAttribute(CUSTOMER);
		return (customer != null) ? this.tokenManager.getHeldToken(TokenKey.of(REGISTRATION, customer)) : Mono.empty();
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
