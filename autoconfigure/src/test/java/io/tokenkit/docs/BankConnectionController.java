package io.tokenkit.docs;

// tag::connect[]
import java.security.Principal;

import io.tokenkit.autoconfigure.security.SpringSecurityTokens;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Hands a user's first bank token to TokenKit in an application whose own
 * {@code OAuth2AuthorizedClientRepository} keeps Spring Security's authorized clients
 * away from TokenKit's service: TokenKit refreshes and sends it from then on.
 */
@Controller
class BankConnectionController {

	private final TokenManager tokenManager;

	BankConnectionController(TokenManager tokenManager) {
		this.tokenManager = tokenManager;
	}

	@GetMapping("/bank/connected")
	String connected(@RegisteredOAuth2AuthorizedClient("bank") OAuth2AuthorizedClient client, Principal user) {
		this.tokenManager.save(TokenKey.of("bank", user.getName()), SpringSecurityTokens.from(client)).block();
		return "redirect:/accounts";
	}

}
// end::connect[]
