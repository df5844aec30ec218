package io.tokenkit.aozora;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.aozora.GmoAozoraIdTokenException.Check;

import org.springframework.util.Assert;

/**
 * A {@link GmoAozoraIdTokenVerifier} on nimbus-jose-jwt. Checks, in order: the token is a
 * signed JWT, its algorithm is HS256, the signature verifies with the client secret as
 * key, {@code iss} equals the configured issuer exactly, {@code aud} contains the client
 * id, {@code azp} (when present) is the client id, {@code exp} has not passed and
 * {@code iat} is not in the future (both with the configured leeway), and finally that
 * the {@code nonce} claim is one this application saved and has not used yet; the nonce
 * is consumed only when every other check has passed.
 * <p>
 * nimbus-jose-jwt refuses HMAC keys shorter than 256 bits: with a client secret of fewer
 * than 32 bytes every token fails the {@link Check#SIGNATURE} check with a message saying
 * so.
 */
public final class NimbusGmoAozoraIdTokenVerifier implements GmoAozoraIdTokenVerifier {

	private final String clientId;

	private final String issuer;

	private final Duration leeway;

	private final NonceStore nonceStore;

	private final Clock clock;

	private final @Nullable JWSVerifier verifier;

	/**
	 * Create a verifier.
	 * @param clientId the client id, expected in {@code aud}
	 * @param clientSecret the client secret, the HS256 key
	 * @param issuer the expected {@code iss}, compared exactly (a trailing slash matters)
	 * @param leeway the clock skew allowed on {@code exp} and {@code iat}
	 * @param nonceStore where the nonces of authorization requests were saved
	 * @param clock the clock that decides expiry
	 */
	public NimbusGmoAozoraIdTokenVerifier(String clientId, String clientSecret, String issuer, Duration leeway,
			NonceStore nonceStore, Clock clock) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		Assert.hasText(issuer, "issuer must not be empty");
		Assert.notNull(leeway, "leeway must not be null");
		Assert.isTrue(!leeway.isNegative(), "leeway must not be negative");
		Assert.notNull(nonceStore, "nonceStore must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.clientId = clientId;
		this.issuer = issuer;
		this.leeway = leeway;
		this.nonceStore = nonceStore;
		this.clock = clock;
		this.verifier = macVerifier(clientSecret);
	}

	private static @Nullable JWSVerifier macVerifier(String clientSecret) {
		try {
			return new MACVerifier(clientSecret.getBytes(StandardCharsets.UTF_8));
		}
		catch (KeyLengthException ex) {
			return null;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot create an HS256 verifier", ex);
		}
	}

	@Override
	public Mono<GmoAozoraIdToken> verify(String idToken) {
		Assert.notNull(idToken, "idToken must not be null");
		return Mono.fromCallable(() -> check(idToken)).flatMap((verified) -> {
			String nonce = (String) verified.claims().get("nonce");
			return this.nonceStore.consume(nonce)
				.defaultIfEmpty(false)
				.flatMap((valid) -> valid ? Mono.just(verified) : Mono.error(new GmoAozoraIdTokenException(Check.NONCE,
						"the nonce is not one this application saved, has expired, or was already used (replay)")));
		});
	}

	private GmoAozoraIdToken check(String idToken) {
		SignedJWT jwt;
		try {
			jwt = SignedJWT.parse(idToken);
		}
		catch (ParseException ex) {
			throw new GmoAozoraIdTokenException(Check.MALFORMED, "it is not a signed JWT");
		}
		if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
			throw new GmoAozoraIdTokenException(Check.ALGORITHM, "it is not signed with HS256");
		}
		verifySignature(jwt);
		JWTClaimsSet claims;
		String authorizedParty;
		String nonce;
		try {
			claims = jwt.getJWTClaimsSet();
			authorizedParty = claims.getStringClaim("azp");
			nonce = claims.getStringClaim("nonce");
		}
		catch (ParseException ex) {
			throw new GmoAozoraIdTokenException(Check.MALFORMED, "its claims cannot be read");
		}
		String tokenIssuer = claims.getIssuer();
		if (!this.issuer.equals(tokenIssuer)) {
			throw new GmoAozoraIdTokenException(Check.ISSUER, issuerReason(tokenIssuer));
		}
		List<String> audience = claims.getAudience();
		if (!audience.contains(this.clientId)) {
			throw new GmoAozoraIdTokenException(Check.AUDIENCE, "aud does not contain the client id");
		}
		if (authorizedParty != null && !this.clientId.equals(authorizedParty)) {
			throw new GmoAozoraIdTokenException(Check.AUTHORIZED_PARTY, "azp is not the client id");
		}
		Instant now = this.clock.instant();
		Instant expiresAt = instant(claims.getExpirationTime());
		if (expiresAt == null) {
			throw new GmoAozoraIdTokenException(Check.EXPIRED, "it has no exp");
		}
		if (!now.isBefore(expiresAt.plus(this.leeway))) {
			throw new GmoAozoraIdTokenException(Check.EXPIRED, "it has expired");
		}
		Instant issuedAt = instant(claims.getIssueTime());
		if (issuedAt == null) {
			throw new GmoAozoraIdTokenException(Check.ISSUED_AT, "it has no iat");
		}
		if (issuedAt.isAfter(now.plus(this.leeway))) {
			throw new GmoAozoraIdTokenException(Check.ISSUED_AT, "its iat lies in the future");
		}
		if (nonce == null || nonce.isEmpty()) {
			throw new GmoAozoraIdTokenException(Check.NONCE, "it has no nonce");
		}
		return new GmoAozoraIdToken(claims.getSubject(), tokenIssuer, List.copyOf(audience), issuedAt, expiresAt,
				Collections.unmodifiableMap(new LinkedHashMap<>(claims.toJSONObject())));
	}

	private void verifySignature(SignedJWT jwt) {
		if (this.verifier == null) {
			throw new GmoAozoraIdTokenException(Check.SIGNATURE,
					"the client secret is shorter than 256 bits, which nimbus-jose-jwt refuses as an HS256 key");
		}
		boolean valid;
		try {
			valid = jwt.verify(this.verifier);
		}
		catch (JOSEException ex) {
			valid = false;
		}
		if (!valid) {
			throw new GmoAozoraIdTokenException(Check.SIGNATURE,
					"the HS256 signature does not verify with the client secret");
		}
	}

	private String issuerReason(@Nullable String tokenIssuer) {
		if (tokenIssuer == null) {
			return "it has no iss";
		}
		String configured = stripSlash(this.issuer);
		if (configured.equals(stripSlash(tokenIssuer))) {
			return "iss differs from tokenkit.gmo-aozora.issuer only by a trailing slash; set the issuer "
					+ ((tokenIssuer.endsWith("/")) ? "with" : "without") + " the trailing slash";
		}
		return "iss is not the configured issuer (tokenkit.gmo-aozora.issuer)";
	}

	private static String stripSlash(String value) {
		return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}

	private static @Nullable Instant instant(@Nullable Date date) {
		return (date != null) ? date.toInstant() : null;
	}

	@Override
	public String toString() {
		return "NimbusGmoAozoraIdTokenVerifier[issuer=" + this.issuer + ", clientId=" + this.clientId + ", leeway="
				+ this.leeway + "]";
	}

}
