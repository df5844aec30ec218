package io.tokenkit.aozora;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.aozora.GmoAozoraIdTokenException.Check;
import io.tokenkit.testsupport.MutableClock;

import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.ISSUER;
import static io.tokenkit.aozora.AozoraTestSupport.claims;
import static io.tokenkit.aozora.AozoraTestSupport.idToken;
import static io.tokenkit.aozora.AozoraTestSupport.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each check of an ID token, with tokens signed by nimbus in the test.
 */
class NimbusGmoAozoraIdTokenVerifierTests {

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryNonceStore nonces = new InMemoryNonceStore(this.clock);

	private final NimbusGmoAozoraIdTokenVerifier verifier = new NimbusGmoAozoraIdTokenVerifier(CLIENT_ID, CLIENT_SECRET,
			ISSUER, Duration.ofSeconds(60), this.nonces, this.clock);

	private Instant now;

	@BeforeEach
	void saveNonce() {
		this.now = this.clock.instant();
		this.nonces.save("nonce-1").block();
	}

	private void assertRejected(String token, Check check) {
		assertThatExceptionOfType(GmoAozoraIdTokenException.class).isThrownBy(() -> this.verifier.verify(token).block())
			.satisfies((ex) -> {
				assertThat(ex.getCheck()).isEqualTo(check);
				assertThat(ex.getMessage()).contains(check.name()).doesNotContain(token).doesNotContain("nonce-1");
			});
	}

	@Test
	void verifyWhenValidThenClaimsAndNonceUsedUp() {
		GmoAozoraIdToken verified = this.verifier.verify(idToken(this.now, "nonce-1")).block();
		assertThat(verified.subject()).isEqualTo("customer-1");
		assertThat(verified.issuer()).isEqualTo(ISSUER);
		assertThat(verified.audience()).containsExactly(CLIENT_ID);
		assertThat(verified.expiresAt()).isEqualTo(this.now.plusSeconds(300));
		assertThat(verified.claims()).containsEntry("nonce", "nonce-1");
		assertThat(verified.toString()).doesNotContain("customer-1");
		assertThat(this.nonces.consume("nonce-1").block()).isFalse();
	}

	@Test
	void verifyWhenSameTokenTwiceThenReplayRejectedByNonce() {
		String token = idToken(this.now, "nonce-1");
		this.verifier.verify(token).block();
		assertRejected(token, Check.NONCE);
	}

	@Test
	void verifyWhenNonceNeverSavedThenRejected() {
		assertRejected(idToken(this.now, "nonce-2"), Check.NONCE);
	}

	@Test
	void verifyWhenNonceExpiredThenRejected() {
		this.clock.advance(Duration.ofMinutes(11));
		assertRejected(idToken(this.clock.instant(), "nonce-1"), Check.NONCE);
	}

	@Test
	void verifyWhenNoNonceClaimThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.claim("nonce", null)), Check.NONCE);
	}

	@Test
	void verifyWhenSignedWithAnotherSecretThenRejectedAndNonceKept() {
		assertRejected(idToken("another-secret-0123456789abcdefghij", claims(this.now, "nonce-1").build()),
				Check.SIGNATURE);
		assertThat(this.nonces.consume("nonce-1").block()).isTrue();
	}

	@Test
	void verifyWhenPayloadTamperedThenSignatureRejected() {
		String token = idToken(this.now, "nonce-1");
		String[] parts = token.split("\\.");
		String otherPayload = idToken(this.now, "nonce-1", (claims) -> claims.subject("customer-2")).split("\\.")[1];
		assertRejected(parts[0] + "." + otherPayload + "." + parts[2], Check.SIGNATURE);
	}

	@Test
	void verifyWhenOtherAlgorithmThenRejected() {
		assertRejected(sign(JWSAlgorithm.HS512, CLIENT_SECRET + CLIENT_SECRET, claims(this.now, "nonce-1").build()),
				Check.ALGORITHM);
	}

	@Test
	void verifyWhenUnsignedThenMalformed() {
		assertRejected(new PlainJWT(claims(this.now, "nonce-1").build()).serialize(), Check.MALFORMED);
		assertRejected("not-a-jwt", Check.MALFORMED);
	}

	@Test
	void verifyWhenWrongIssuerThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.issuer("https://evil.example.com/")),
				Check.ISSUER);
	}

	@Test
	void verifyWhenIssuerDiffersByTrailingSlashThenRejectedWithHint() {
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> this.verifier
				.verify(idToken(this.now, "nonce-1", (claims) -> claims.issuer("https://api.gmo-aozora.com")))
				.block())
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.ISSUER))
			.withMessageContaining("trailing slash");
	}

	@Test
	void verifyWhenWrongAudienceThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.audience("other-app")), Check.AUDIENCE);
	}

	@Test
	void verifyWhenAudienceListContainsClientThenAccepted() {
		assertThat(this.verifier
			.verify(idToken(this.now, "nonce-1",
					(claims) -> claims.audience(List.of("other-app", CLIENT_ID)).claim("azp", CLIENT_ID)))
			.block()).isNotNull();
	}

	@Test
	void verifyWhenAuthorizedPartyIsAnotherClientThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.claim("azp", "other-app")),
				Check.AUTHORIZED_PARTY);
	}

	@Test
	void verifyWhenExpiredBeyondLeewayThenRejected() {
		this.clock.advance(Duration.ofSeconds(300 + 60));
		assertRejected(idToken(this.now, "nonce-1"), Check.EXPIRED);
	}

	@Test
	void verifyWhenExpiredWithinLeewayThenAccepted() {
		this.clock.advance(Duration.ofSeconds(300 + 59));
		assertThat(this.verifier.verify(idToken(this.now, "nonce-1")).block()).isNotNull();
	}

	@Test
	void verifyWhenNoExpThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.expirationTime(null)), Check.EXPIRED);
	}

	@Test
	void verifyWhenIssuedInTheFutureBeyondLeewayThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.issueTime(Date.from(this.now.plusSeconds(61)))),
				Check.ISSUED_AT);
	}

	@Test
	void verifyWhenIssuedSlightlyInTheFutureThenAccepted() {
		assertThat(this.verifier
			.verify(idToken(this.now, "nonce-1", (claims) -> claims.issueTime(Date.from(this.now.plusSeconds(60)))))
			.block()).isNotNull();
	}

	@Test
	void verifyWhenNoIatThenRejected() {
		assertRejected(idToken(this.now, "nonce-1", (claims) -> claims.issueTime(null)), Check.ISSUED_AT);
	}

	@Test
	void verifyWhenClientSecretShorterThan256BitsThenSignatureCheckSaysWhy() {
		NimbusGmoAozoraIdTokenVerifier shortKey = new NimbusGmoAozoraIdTokenVerifier(CLIENT_ID, "short-secret", ISSUER,
				Duration.ofSeconds(60), this.nonces, this.clock);
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> shortKey.verify(idToken(this.now, "nonce-1")).block())
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.SIGNATURE))
			.withMessageContaining("shorter than 256 bits")
			.withMessageNotContaining("short-secret");
		assertThat(this.nonces.consume("nonce-1").block()).isTrue();
	}

}
