package io.tokenkit.docs;

// tag::connect[]
import java.security.Principal;
import java.time.Instant;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Hands a user's first bank token to TokenKit once Spring Security's login has exchanged
 * the authorization code for it: TokenKit refreshes and sends it from then on.
 */
@Controller
class BankConnectionController {

	private final TokenManager tokenManager;

	BankConnectionController(TokenManager tokenManager) {
		this.tokenManager = tokenManager;
	}

	@GetMapping("/bank/connected")
	String connected(@RegisteredOAuth2AuthorizedClient("bank") OAuth2AuthorizedClient client, Principal user) {
		this.tokenManager.save(TokenKey.of("bank", user.getName()), toAccessToken(client)).block();
		return "redirect:/accounts";
	}

	static AccessToken toAccessToken(OAuth2AuthorizedClient client) {
		OAuth2AccessToken access = client.getAccessToken();
		OAuth2RefreshToken refresh = client.getRefreshToken();
		return AccessToken.withValue(access.getTokenValue())
			.issuedAt((access.getIssuedAt() != null) ? access.getIssuedAt() : Instant.now())
			.expiresAt(access.getExpiresAt())
			.scopes(access.getScopes())
			.refreshToken((refresh != null) ? refresh.getTokenValue() : null)
			.build();
	}

}
// end::connect[]
