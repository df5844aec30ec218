package io.tokenkit.oauth2;

import java.util.Collection;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * {@code client_secret_post}: {@code client_id} and {@code client_secret} as form
 * parameters (RFC 6749 §2.3.1).
 */
final class ClientSecretPostAuthentication implements ClientAuthentication {

	private final String clientId;

	private final String clientSecret;

	ClientSecretPostAuthentication(String clientId, String clientSecret) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		this.clientId = clientId;
		this.clientSecret = clientSecret;
	}

	@Override
	public void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
		form.set("client_id", this.clientId);
		form.set("client_secret", this.clientSecret);
	}

	@Override
	public String getClientId() {
		return this.clientId;
	}

	@Override
	public Collection<String> getSecrets() {
		return List.of(this.clientSecret);
	}

	@Override
	public String toString() {
		return "client_secret_post";
	}

}
