package io.tokenkit;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tokenkit.aozora.GmoAozoraIdToken;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.aozora.GmoAozoraOpenIdTokens;
import io.tokenkit.aozora.GmoAozoraState;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.saasus.AuthorizationTempCode;
import io.tokenkit.saasus.Credentials;
import io.tokenkit.saasus.SaasusRequestSigner;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the {@code toString()} of the library's types that hold a token, secret,
 * code or subject outside the Authlete package never prints it.
 */
class SecretHoldersToStringTests {

	private static final String ACCESS_TOKEN = "fake-secret-access-token";

	private static final String REFRESH_TOKEN = "fake-secret-refresh-token";

	private static final String ID_TOKEN = "fake-secret-id-token";

	private static final String SUBJECT = "fake-secret-subject";

	@Test
	void accessTokenToStringThenNoTokenValue() {
		AccessToken token = AccessToken.withValue(ACCESS_TOKEN)
			.refreshToken(REFRESH_TOKEN)
			.idToken(ID_TOKEN)
			.scopes(Set.of("orders.read"))
			.build();
		assertThat(token.toString()).contains("orders.read").doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN);
	}

	@Test
	void registrationDefinitionAndTokenClientToStringThenNoSecretNorQuery() {
		RegistrationDefinition definition = RegistrationDefinition.withId("orders", "tokenkit.registrations.orders.")
			.grantType("client_credentials")
			.tokenUri("https://auth.example.com/token?api_key=" + REFRESH_TOKEN)
			.clientId("orders-app")
			.clientSecret(ACCESS_TOKEN)
			.refreshToken(REFRESH_TOKEN)
			.token(ID_TOKEN)
			.build();
		assertThat(definition.toString()).contains("https://auth.example.com/token")
			.doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN, "?");
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create("https://user:" + ACCESS_TOKEN + "@auth.example.com/token?key=" + REFRESH_TOKEN),
				"orders-app", ACCESS_TOKEN, ClientAuthenticationMethod.BASIC, "orders", "oauth2",
				TokenRequestObserver.NOOP);
		assertThat(client.toString()).contains("auth.example.com/token").doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN);
	}

	@Test
	void clientKeysAndKeyAuthenticationsToStringThenNoKeySecretNorAssertion() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
		java.security.PrivateKey privateKey = generator.generateKeyPair().getPrivate();
		String encodedKey = java.util.Base64.getEncoder().encodeToString(privateKey.getEncoded());
		ClientKey key = new ClientKey(privateKey, ClientKeyAlgorithm.ES256, "k1");
		assertThat(key.toString()).contains("ES256", "k1").doesNotContain(encodedKey.substring(40, 80));
		java.time.Clock clock = java.time.Clock.systemUTC();
		String secret = ACCESS_TOKEN + "-0123456789abcdef";
		for (ClientAuthentication authentication : List.of(
				ClientAuthentication.privateKeyJwt("orders-app", key, "https://auth.example.com",
						java.time.Duration.ofSeconds(60), clock),
				ClientAuthentication.clientSecretJwt("orders-app", secret, "https://auth.example.com",
						java.time.Duration.ofSeconds(60), clock),
				ClientAuthentication.tlsClientAuth("orders-app"),
				ClientAuthentication.selfSignedTlsClientAuth("orders-app"))) {
			org.springframework.util.LinkedMultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
			authentication.authenticate(new org.springframework.http.HttpHeaders(), form);
			String assertion = form.getFirst("client_assertion");
			assertThat(authentication.toString()).doesNotContain(secret);
			if (assertion != null) {
				assertThat(authentication.toString()).doesNotContain(assertion);
				assertThat(authentication.getSecrets()).contains(assertion);
			}
		}
		RegistrationDefinition definition = RegistrationDefinition.withId("orders", "tokenkit.registrations.orders.")
			.clientKey(new ClientKeySettings("client", "orders", null, "k1", ClientKeyAlgorithm.ES256))
			.clientSecret(secret)
			.build();
		assertThat(definition.toString()).doesNotContain(secret);
	}

	@Test
	void tokenKeyToStringThenNoSubject() {
		assertThat(TokenKey.of("bank", SUBJECT).toString()).contains("bank").doesNotContain(SUBJECT);
	}

	@Test
	void oauth2TokenResponseToStringThenNoToken() {
		OAuth2TokenResponse response = new OAuth2TokenResponse(ACCESS_TOKEN, "Bearer", 60L, REFRESH_TOKEN, "a b",
				ID_TOKEN, Map.of());
		assertThat(response.toString()).contains("Bearer").doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN);
	}

	@Test
	void saasusTypesToStringThenNoSecret() {
		assertThat(new Credentials(ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN).toString()).doesNotContain(ID_TOKEN,
				ACCESS_TOKEN, REFRESH_TOKEN);
		assertThat(new AuthorizationTempCode("fake-secret-code").toString()).doesNotContain("fake-secret-code");
		assertThat(new SaasusRequestSigner("saas-id", "fake-secret-api-key", "fake-secret-key", Clock.systemUTC())
			.toString()).contains("saas-id").doesNotContain("fake-secret-api-key", "fake-secret-key");
	}

	@Test
	void gmoAozoraTypesToStringThenNoSecret() {
		GmoAozoraIdToken idToken = new GmoAozoraIdToken(SUBJECT, "https://bank.example.com/", List.of("client"),
				Instant.EPOCH, Instant.EPOCH.plusSeconds(60), Map.of("sub", SUBJECT, "sid", "fake-secret-sid"));
		GmoAozoraOpenIdTokens tokens = new GmoAozoraOpenIdTokens(
				AccessToken.withValue(ACCESS_TOKEN).refreshToken(REFRESH_TOKEN).idToken(ID_TOKEN).build(), idToken);
		assertThat(tokens.toString()).contains("https://bank.example.com/")
			.doesNotContain(SUBJECT, "fake-secret-sid", ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN);
		assertThat(new GmoAozoraState("fake-secret-salt").toString()).doesNotContain("fake-secret-salt");
	}

}
