package io.tokenkit.oauth2;

import java.util.Collection;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * {@code tls_client_auth} and {@code self_signed_tls_client_auth} (RFC 8705 §2): the
 * client id in the form; the client's certificate is presented by the TLS connection of
 * the token client's connector, not by this class.
 */
final class TlsClientAuthentication implements ClientAuthentication {

	private final String method;

	private final String clientId;

	TlsClientAuthentication(String method, String clientId) {
		Assert.hasText(clientId, "clientId must not be empty");
		this.method = method;
		this.clientId = clientId;
	}

	@Override
	public void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
		form.set("client_id", this.clientId);
	}

	@Override
	public String getClientId() {
		return this.clientId;
	}

	@Override
	public Collection<String> getSecrets() {
		return List.of();
	}

	@Override
	public String toString() {
		return this.method;
	}

}
