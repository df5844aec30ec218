package io.tokenkit.docs;

// tag::from-response[]
import java.time.Instant;
import java.util.Map;

import io.tokenkit.token.AccessToken;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Runs an authorization-code exchange of its own and turns the token endpoint's answer
 * into a token that {@code TokenManager.save} takes.
 */
class TokenResponseExample {

	private final RestClient tokenEndpoint;

	TokenResponseExample(RestClient tokenEndpoint) {
		this.tokenEndpoint = tokenEndpoint;
	}

	AccessToken exchange(String code, String codeVerifier, String redirectUri) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "authorization_code");
		form.add("code", code);
		form.add("code_verifier", codeVerifier);
		form.add("redirect_uri", redirectUri);
		Instant sentAt = Instant.now(); // expires_in counts from here
		Map<String, Object> response = this.tokenEndpoint.post()
			.body(form)
			.retrieve()
			.body(new ParameterizedTypeReference<>() {
			});
		return AccessToken.from(response, sentAt);
	}

}
// end::from-response[]
