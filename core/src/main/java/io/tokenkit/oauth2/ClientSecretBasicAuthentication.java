package io.tokenkit.oauth2;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * {@code client_secret_basic}: the client id and secret in an
 * {@code Authorization: Basic} header, form-encoded first (RFC 6749 §2.3.1) or not.
 */
final class ClientSecretBasicAuthentication implements ClientAuthentication {

	private final String clientId;

	private final String clientSecret;

	private final boolean formEncoded;

	private final String authorization;

	ClientSecretBasicAuthentication(String clientId, String clientSecret, boolean formEncoded) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.formEncoded = formEncoded;
		String credentials = formEncoded ? formEncode(clientId) + ":" + formEncode(clientSecret)
				: clientId + ":" + clientSecret;
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
		headers.set(HttpHeaders.AUTHORIZATION, this.authorization);
	}

	@Override
	public String getClientId() {
		return this.clientId;
	}

	@Override
	public Collection<String> getSecrets() {
		return List.of(this.clientSecret);
	}

	private static String formEncode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.formEncoded ? "client_secret_basic" : "client_secret_basic (not form-encoded)";
	}

}
