package io.tokenkit.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Gives the {@link ClientAuthentication} of a registration's
 * {@code client-authentication}, its client secret, key or certificate checked, and the
 * rules of {@code fapi: true} (no client secrets, no RS256, no RSA key under 2,048 bits)
 * enforced, each refusal a failure analysis naming the property.
 */
final class RegistrationClientAuthentication {

	/** The shortest RSA key of a JWS signature (RFC 7518 §3.3) and of FAPI 2.0. */
	static final int MIN_RSA_BITS = 2048;

	private RegistrationClientAuthentication() {
	}

	/**
	 * Return the client authentication of a registration.
	 * @param registration the registration
	 * @param clientId its client id
	 * @param issuer the authorization server's issuer identifier, or {@code null} when it
	 * is not known
	 * @param tokenUri the token endpoint, or {@code null} when it is discovered from the
	 * issuer
	 * @param bundles Spring Boot's SSL bundles, or {@code null} when there are none
	 * @param clock the clock of client assertions
	 * @param grant when the client authenticates, for example
	 * {@code "for grant-type client_credentials"}
	 * @return the authentication
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	static ClientAuthentication of(RegistrationDefinition registration, String clientId, @Nullable String issuer,
			@Nullable URI tokenUri, @Nullable SslBundles bundles, Clock clock, String grant) {
		ClientAuthenticationMethod method = registration.getClientAuthentication();
		String when = grant + " with client-authentication " + method.registeredName();
		String audience = ClientAuthentication.assertionAudience(registration.getAssertionAudience(), issuer, tokenUri);
		if (registration.isFapi() && method.usesClientSecret()) {
			throw fapi(registration, "client-authentication", method.registeredName(),
					"it authenticates with a client secret",
					"Use private_key_jwt, tls_client_auth or self_signed_tls_client_auth.");
		}
		ClientKey key = (method == ClientAuthenticationMethod.PRIVATE_KEY_JWT)
				? checked(registration, ClientKeys.key(registration, bundles, when)) : null;
		if (registration.isFapi() && method == ClientAuthenticationMethod.PRIVATE_KEY_JWT
				&& !StringUtils.hasText(registration.getAssertionAudience()) && !StringUtils.hasText(issuer)) {
			throw fapi(registration, "client-assertion.audience", null,
					"it is not set and the issuer identifier is not known, so the client assertion's aud would be the "
							+ "token endpoint, and FAPI 2.0 asks for the issuer identifier",
					"Set it to the authorization server's issuer identifier, or set "
							+ registration.property("issuer-uri") + ".");
		}
		if (method.isMutualTls()) {
			// the certificate is presented at run time: its key must be there at start-up
			requireBundle(registration, clientId, when);
			PrivateKey privateKey = ClientKeys.bundleKey(registration, bundles).privateKey();
			if (registration.isFapi()) {
				requireFapiRsaSize(registration,
						(privateKey instanceof RSAPrivateKey rsa) ? rsa.getModulus().bitLength() : 0,
						"client-key.ssl-bundle", registration.getClientKey().sslBundle());
			}
		}
		return switch (method) {
			case BASIC, POST -> method.toClientAuthentication(clientId,
					registration.require("client-secret", registration.getClientSecret(), when));
			case CLIENT_SECRET_JWT -> ClientAuthentication.clientSecretJwt(clientId, jwtSecret(registration, when),
					audience, registration.getAssertionLifetime(), clock);
			case PRIVATE_KEY_JWT ->
				ClientAuthentication.privateKeyJwt(clientId, key, audience, registration.getAssertionLifetime(), clock);
			case TLS_CLIENT_AUTH -> ClientAuthentication.tlsClientAuth(requireBundle(registration, clientId, when));
			case SELF_SIGNED_TLS_CLIENT_AUTH ->
				ClientAuthentication.selfSignedTlsClientAuth(requireBundle(registration, clientId, when));
		};
	}

	private static ClientKey checked(RegistrationDefinition registration, ClientKey key) {
		boolean bundle = StringUtils.hasText(registration.getClientKey().sslBundle());
		String source = bundle ? "client-key.ssl-bundle" : "client-key.file";
		String value = bundle ? registration.getClientKey().sslBundle()
				: ClientKeys.shown(registration.getClientKey().file());
		if (!registration.isFapi()) {
			int bits = key.getRsaKeySize();
			if (bits > 0 && bits < MIN_RSA_BITS) {
				throw new InvalidTokenKitPropertyException(registration.property(source), value,
						"its RSA key has " + bits + " bits, and a JWS signature needs " + MIN_RSA_BITS
								+ " or more (RFC 7518 §3.3)",
						"Use an RSA key of 2048 bits or more, or an EC (P-256) or Ed25519 key.");
			}
			return key;
		}
		if (key.getAlgorithm() == ClientKeyAlgorithm.RS256) {
			throw fapi(registration, "client-key.algorithm", "RS256", "FAPI 2.0 does not allow RS256",
					"Set it to PS256 for an RSA key.");
		}
		requireFapiRsaSize(registration, key.getRsaKeySize(), source, value);
		return key;
	}

	private static void requireFapiRsaSize(RegistrationDefinition registration, int bits, String key,
			@Nullable String value) {
		if (bits > 0 && bits < MIN_RSA_BITS) {
			throw fapi(registration, key, value,
					"its RSA key has " + bits + " bits, and FAPI 2.0 needs " + MIN_RSA_BITS + " or more",
					"Use an RSA key of 2048 bits or more, or an EC (P-256) or Ed25519 key.");
		}
	}

	private static InvalidTokenKitPropertyException fapi(RegistrationDefinition registration, String key,
			@Nullable String value, String reason, String action) {
		return new InvalidTokenKitPropertyException(registration.property(key), value,
				reason + ", and " + registration.property("fapi") + " is true (FAPI 2.0 Security Profile)",
				action + " Or remove " + registration.property("fapi") + ".");
	}

	private static String jwtSecret(RegistrationDefinition registration, String when) {
		String secret = registration.require("client-secret", registration.getClientSecret(), when);
		int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
		if (bytes < ClientAuthentication.CLIENT_SECRET_JWT_MIN_BYTES) {
			// never the value: it is a secret
			throw new InvalidTokenKitPropertyException(registration.property("client-secret"), null,
					"it has " + bytes + " bytes, and client_secret_jwt signs with HS256, whose key must have at least "
							+ ClientAuthentication.CLIENT_SECRET_JWT_MIN_BYTES + " bytes (RFC 7518 §3.2)",
					"Have the authorization server issue a client secret of 32 bytes or more, or use another "
							+ "client-authentication.");
		}
		return secret;
	}

	private static String requireBundle(RegistrationDefinition registration, String clientId, String when) {
		if (!StringUtils.hasText(registration.getClientKey().sslBundle())) {
			throw new InvalidTokenKitPropertyException(registration.property("client-key.ssl-bundle"), null,
					"it is not set, and the token call presents the client certificate of an SSL bundle " + when,
					"Set it to the name of a Spring Boot SSL bundle (spring.ssl.bundle.jks.<name> or "
							+ "spring.ssl.bundle.pem.<name>) with the client's private key and certificate.");
		}
		return clientId;
	}

}
