package io.tokenkit.oauth2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the built-in {@link ClientAuthentication}s: the exact headers and form each
 * one writes.
 */
class ClientAuthenticationTests {

	private static final String CLIENT_ID = "my app";

	private static final String CLIENT_SECRET = "s3cr+t/=:%";

	private final HttpHeaders headers = new HttpHeaders();

	private final MultiValueMap<String, String> form = new LinkedMultiValueMap<>();

	ClientAuthenticationTests() {
		this.form.set("grant_type", "client_credentials");
	}

	@Test
	void clientSecretBasicWhenAuthenticateThenFormEncodedIdAndSecretInBasicHeaderOnly() {
		ClientAuthentication authentication = ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET);
		authentication.authenticate(this.headers, this.form);
		// base64("my+app:s3cr%2Bt%2F%3D%3A%25"), RFC 6749 §2.3.1
		assertThat(this.headers.toSingleValueMap())
			.containsOnly(java.util.Map.entry("Authorization", "Basic " + base64("my+app:s3cr%2Bt%2F%3D%3A%25")));
		assertThat(this.headers.getFirst("Authorization")).isEqualTo("Basic bXkrYXBwOnMzY3IlMkJ0JTJGJTNEJTNBJTI1");
		assertThat(this.form.toSingleValueMap()).containsOnly(java.util.Map.entry("grant_type", "client_credentials"));
		assertThat(authentication.getClientId()).isEqualTo(CLIENT_ID);
		assertThat(authentication.getSecrets()).containsExactly(CLIENT_SECRET);
	}

	@Test
	void clientSecretBasicWithoutFormEncodingWhenAuthenticateThenPlainIdAndSecretInBasicHeaderOnly() {
		ClientAuthentication authentication = ClientAuthentication.clientSecretBasicWithoutFormEncoding(CLIENT_ID,
				CLIENT_SECRET);
		authentication.authenticate(this.headers, this.form);
		assertThat(this.headers.getFirst("Authorization")).isEqualTo("Basic " + base64("my app:s3cr+t/=:%"));
		assertThat(this.headers.getFirst("Authorization")).isEqualTo("Basic bXkgYXBwOnMzY3IrdC89OiU=");
		assertThat(this.headers.size()).isOne();
		assertThat(this.form.toSingleValueMap()).containsOnly(java.util.Map.entry("grant_type", "client_credentials"));
		assertThat(authentication.getSecrets()).containsExactly(CLIENT_SECRET);
	}

	@Test
	void clientSecretPostWhenAuthenticateThenIdAndSecretInFormAndNoHeader() {
		ClientAuthentication authentication = ClientAuthentication.clientSecretPost(CLIENT_ID, CLIENT_SECRET);
		authentication.authenticate(this.headers, this.form);
		assertThat(this.headers.isEmpty()).isTrue();
		assertThat(this.form.toSingleValueMap()).containsOnly(java.util.Map.entry("grant_type", "client_credentials"),
				java.util.Map.entry("client_id", CLIENT_ID), java.util.Map.entry("client_secret", CLIENT_SECRET));
		assertThat(authentication.getClientId()).isEqualTo(CLIENT_ID);
		assertThat(authentication.getSecrets()).containsExactly(CLIENT_SECRET);
	}

	@Test
	void toClientAuthenticationWhenEachMethodThenMatchingBuiltIn() {
		ClientAuthenticationMethod.BASIC.toClientAuthentication(CLIENT_ID, CLIENT_SECRET)
			.authenticate(this.headers, this.form);
		assertThat(this.headers.getFirst("Authorization")).isEqualTo("Basic " + base64("my+app:s3cr%2Bt%2F%3D%3A%25"));
		HttpHeaders postHeaders = new HttpHeaders();
		MultiValueMap<String, String> postForm = new LinkedMultiValueMap<>();
		ClientAuthenticationMethod.POST.toClientAuthentication(CLIENT_ID, CLIENT_SECRET)
			.authenticate(postHeaders, postForm);
		assertThat(postHeaders.isEmpty()).isTrue();
		assertThat(postForm.getFirst("client_secret")).isEqualTo(CLIENT_SECRET);
	}

	@Test
	void createWhenIdOrSecretEmptyThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClientAuthentication.clientSecretBasic("", "s"))
			.withMessage("clientId must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> ClientAuthentication.clientSecretPost("id", " "))
			.withMessage("clientSecret must not be empty");
	}

	@Test
	void toStringWhenCalledThenNoSecret() {
		assertThat(ClientAuthentication.clientSecretBasic(CLIENT_ID, CLIENT_SECRET).toString())
			.isEqualTo("client_secret_basic");
		assertThat(ClientAuthentication.clientSecretBasicWithoutFormEncoding(CLIENT_ID, CLIENT_SECRET).toString())
			.doesNotContain(CLIENT_SECRET);
		assertThat(ClientAuthentication.clientSecretPost(CLIENT_ID, CLIENT_SECRET).toString())
			.isEqualTo("client_secret_post");
	}

	private static String base64(String value) {
		return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

}
