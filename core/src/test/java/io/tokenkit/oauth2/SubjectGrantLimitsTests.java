package io.tokenkit.oauth2;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.NoTokenForSubjectException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistrationStatus;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static io.tokenkit.testsupport.ExchangeRegistration.answering;
import static io.tokenkit.testsupport.ExchangeRegistration.jwt;
import static io.tokenkit.testsupport.ExchangeRegistration.manager;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The limits of tokens made from subject tokens: how many subject tokens are held and for
 * how long, a refused subject token being its caller's failure and not the
 * registration's, and an exchanged token never outliving its subject token.
 */
class SubjectGrantLimitsTests {

	private final MutableClock clock = MutableClock.at("2026-12-07T22:00:00Z");

	@Test
	void subjectTokensWhenMoreThanTheMaximumThenTheLeastRecentlyCarriedAreLetGo() {
		SubjectTokens tokens = new SubjectTokens(this.clock, Duration.ofMinutes(5), 100);
		String first = tokens.hold("opaque-first");
		for (int i = 0; i < 1000; i++) {
			tokens.hold("opaque-" + i);
		}
		assertThat(tokens.size()).isLessThanOrEqualTo(100);
		assertThat(tokens.valueOf(first)).isNull();
		assertThat(tokens.valueOf(SubjectTokens.fingerprint("opaque-999"))).isEqualTo("opaque-999");
	}

	@Test
	void subjectTokensWhenJwtClaimsAFarExpiryThenHeldNoLongerThanTheRetention() {
		SubjectTokens tokens = new SubjectTokens(this.clock);
		for (int i = 0; i < 10_000; i++) {
			tokens.hold(jwt(99_999_999_999L) + i);
		}
		String forged = SubjectTokens.fingerprint(jwt(99_999_999_999L) + 0);
		this.clock.advance(SubjectTokens.DEFAULT_OPAQUE_RETENTION.plusSeconds(1));
		assertThat(tokens.valueOf(forged)).isNull();
		for (int i = 0; i < 512; i++) {
			tokens.hold("opaque-" + i);
		}
		assertThat(tokens.size()).isLessThanOrEqualTo(512);
	}

	@Test
	void subjectTokensWhenJwtStillCarriedThenHeldUntilItsExpiry() {
		SubjectTokens tokens = new SubjectTokens(this.clock);
		Instant exp = this.clock.instant().plus(Duration.ofMinutes(8));
		String token = jwt(exp.getEpochSecond());
		String fingerprint = tokens.hold(token);
		this.clock.advance(Duration.ofMinutes(4));
		tokens.hold(token);
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(tokens.valueOf(fingerprint)).isEqualTo(token);
		assertThat(tokens.expiryOf(fingerprint)).isEqualTo(exp);
		this.clock.advance(Duration.ofMinutes(1));
		tokens.hold(token);
		assertThat(tokens.valueOf(fingerprint)).isNull();
	}

	@Test
	void exchangeWhenServerRefusesOneSubjectTokenThenCallerGetsTypedErrorAndRegistrationIsNotFailed() {
		SubjectTokens subjectTokens = new SubjectTokens(this.clock);
		AtomicInteger calls = new AtomicInteger();
		TokenManager manager = manager(subjectTokens, new InMemoryTokenStore(this.clock), this.clock,
				answering(HttpStatus.BAD_REQUEST,
						"{\"error\":\"invalid_grant\",\"error_description\":\"subject token revoked\"}", calls));
		TokenKey key = new TokenKey("ex", subjectTokens.hold("one-users-revoked-token"));
		assertThatExceptionOfType(NoTokenForSubjectException.class).isThrownBy(() -> manager.getToken(key).block())
			.withMessageContaining("refused this request's subject token (invalid_grant)")
			.withMessageNotContaining("one-users-revoked-token");
		TokenRegistrationStatus status = manager.getRegistrationStatus("ex");
		assertThat(status.lastAcquisition()).isNull();
		assertThat(calls).hasValue(1);
	}

	@Test
	void exchangeWhenCutToSubjectExpiryThenNotRefreshedAheadNoRefreshTokenKeptAndGoneAfterIt() {
		SubjectTokens subjectTokens = new SubjectTokens(this.clock);
		AtomicInteger calls = new AtomicInteger();
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
		TokenManager manager = manager(subjectTokens, store, this.clock,
				answering(HttpStatus.OK,
						"{\"access_token\":\"exchanged\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
								+ "\"refresh_token\":\"rt\",\"id_token\":\"it\"}",
						calls));
		long exp = this.clock.instant().getEpochSecond() + 60;
		String subject = jwt(exp);
		TokenKey key = new TokenKey("ex", SubjectTokens.fingerprint(subject));
		Instant start = this.clock.instant();
		for (long t = 0; t < 60_000; t += 100) {
			this.clock.set(start.plusMillis(t));
			manager.getToken(new TokenKey("ex", subjectTokens.hold(subject))).block();
		}
		assertThat(calls).hasValue(1);
		assertThat(store.get(key).getExpiresAt()).isEqualTo(Instant.ofEpochSecond(exp));
		assertThat(store.get(key).getIssuedAt()).isEqualTo(start);
		assertThat(store.get(key).isRefreshedAhead()).isFalse();
		assertThat(store.get(key).getRefreshToken()).isNull();
		assertThat(store.get(key).getIdToken()).isNull();
		// past the subject's exp: no new exchange from a subject token that is dead
		this.clock.set(Instant.ofEpochSecond(exp).plusSeconds(1));
		assertThatExceptionOfType(NoTokenForSubjectException.class)
			.isThrownBy(() -> manager.getToken(new TokenKey("ex", subjectTokens.hold(subject))).block());
		assertThat(calls).hasValue(1);
		// a save sweeps the expired exchanged token, which has no refresh token to keep
		// it
		this.clock.set(start.plus(Duration.ofHours(2)));
		manager.getToken(new TokenKey("ex", subjectTokens.hold(jwt(this.clock.instant().getEpochSecond() + 600))))
			.block();
		assertThat(store.get(key)).isNull();
	}

}
