package io.tokenkit.token;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of what the {@link TokenManager} itself logs: one DEBUG line per acquisition or
 * refresh, with the registration, the outcome and the expiry, never a token or a subject;
 * a failure at WARN once per cool-down of the registration.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenManagerLoggingTests {

	private static final String SUBJECT = "alice@example.com";

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)),
			new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));

	private final Logger logger = (Logger) LoggerFactory.getLogger("io.tokenkit");

	private Level previousLevel;

	@BeforeEach
	void debug() {
		this.previousLevel = this.logger.getLevel();
		// as logging.level.io.tokenkit=DEBUG does
		this.logger.setLevel(Level.DEBUG);
	}

	@AfterEach
	void restore() {
		this.logger.setLevel(this.previousLevel);
	}

	@Test
	void acquireAndRefreshThenOneDebugLineEachWithRegistrationOutcomeAndExpiryButNoTokenOrSubject(
			CapturedOutput output) {
		AccessToken application = this.manager.getToken(TokenKey.of("orders")).block();
		TokenKey alice = TokenKey.of("orders", SUBJECT);
		this.manager.save(alice, expired("alice-token", "alice-refresh")).block();
		this.clock.advance(Duration.ofSeconds(30));
		AccessToken refreshed = this.manager.getToken(alice).block();
		assertThat(lines(output, "DEBUG", "Token acquisition: ")).singleElement()
			.satisfies((line) -> assertThat(line).contains("TokenManager")
				.endsWith("Token acquisition: registration=orders, outcome=success, "
						+ "expires=2026-11-23T10:10:00Z (in 600s)"));
		assertThat(lines(output, "DEBUG", "Token refresh: ")).singleElement()
			.satisfies((line) -> assertThat(line).endsWith("Token refresh: registration=orders (per-user), "
					+ "outcome=success, expires=2026-11-23T10:10:30Z (in 600s)"));
		assertThat(output).doesNotContain(SUBJECT)
			.doesNotContain(application.getTokenValue())
			.doesNotContain(application.getRefreshToken())
			.doesNotContain(refreshed.getTokenValue())
			.doesNotContain(refreshed.getRefreshToken())
			.doesNotContain("alice-token")
			.doesNotContain("alice-refresh");
	}

	@Test
	void acquireWhenFailuresRepeatThenOneWarnPerCoolDownAndTheOthersAtDebug(CapturedOutput output) {
		// 100 users whose refresh fails at once, each caller asking twice: one warning
		for (int i = 0; i < 100; i++) {
			TokenKey user = TokenKey.of("orders", "user-" + i);
			this.manager.save(user, expired("at-" + i, "rt-" + i)).block();
			this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
			assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(user).block());
			assertThatExceptionOfType(TokenCoolDownException.class)
				.isThrownBy(() -> this.manager.getToken(user).block());
		}
		assertThat(lines(output, "WARN", "Token endpoint answered 503")).hasSize(1);
		assertThat(lines(output, "DEBUG", "Token endpoint answered 503")).hasSize(99);
		assertThat(lines(output, "DEBUG", "outcome=failure, error=TokenApiException")).hasSize(100);
		// the cool-down of a first failure is a second: the next failure warns again, and
		// says how many were quiet
		this.clock.advance(Duration.ofSeconds(1));
		this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
		assertThatExceptionOfType(TokenApiException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of("orders")).block());
		assertThat(lines(output, "WARN", "Token endpoint answered 503")).hasSize(2)
			.last()
			.satisfies((line) -> assertThat(line).contains(
					"(99 more failed acquisitions of this registration since the last warning, logged at DEBUG)"));
		assertThat(output).doesNotContain("user-");
	}

	@Test
	void acquireWhenTheApplicationRefreshTokenIsRefusedAsDeadWhileAUserFailureIsQuietThenWarn(CapturedOutput output) {
		TokenKey user = TokenKey.of("orders", "user-1");
		this.manager.save(user, expired("at-1", "rt-1")).block();
		this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(user).block());
		// within the user's cool-down, the application's refresh token is refused as dead
		this.manager.save(TokenKey.of("orders"), expired("app-at", "app-rt")).block();
		this.source.failNext(new TokenManagerFaultTests.DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of("orders")).block());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of("orders")).block());
		assertThat(lines(output, "WARN", "needs a new authorization")).singleElement();
	}

	@Test
	void replayedWhenAnAlways401ApiStrikesManyUsersThenOneWarnPerCoolDownOfTheRegistration(CapturedOutput output) {
		for (int i = 0; i < 100; i++) {
			TokenKey user = TokenKey.of("orders", "user-" + i);
			this.manager.save(user, expired("at-" + i, "rt-" + i)).block();
			AccessToken first = this.manager.getToken(user).block();
			AccessToken replacement = this.manager.reacquire(user, first).block();
			this.manager.replayed(user, replacement, false);
		}
		assertThat(lines(output, "WARN", "rejected with 401 too")).hasSize(1);
		assertThat(lines(output, "DEBUG", "rejected with 401 too")).hasSize(99);
		// the cool-down of a first strike is a second: the next strike warns again
		this.clock.advance(Duration.ofSeconds(1));
		AccessToken first = this.manager.getToken(TokenKey.of("orders")).block();
		this.manager.replayed(TokenKey.of("orders"), this.manager.reacquire(TokenKey.of("orders"), first).block(),
				false);
		assertThat(lines(output, "WARN", "rejected with 401 too")).hasSize(2)
			.last()
			.satisfies((line) -> assertThat(line)
				.contains("(99 more replays rejected with 401 of this registration since the last warning"));
		assertThat(output).doesNotContain("user-");
	}

	@Test
	void acquireWhenAnApplicationTokenHasNoCredentialThenOneWarnPerRegistrationNamingBothCauses(CapturedOutput output) {
		// a refresh_token registration meant for the application token, its refresh-token
		// property missing: its source answers a plain TokenAcquisitionException
		TokenSource unconfigured = (key) -> Mono.error(new TokenAcquisitionException(key.registrationId(),
				"Registration '" + key.registrationId() + "' has no refresh token configured"));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("ledger", unconfigured)),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(SubjectRequiredException.class)
				.isThrownBy(() -> manager.getToken(TokenKey.of("ledger")).block())
				.withMessageContaining("tokenkit.registrations.ledger.refresh-token");
			this.clock.advance(Duration.ofMinutes(10));
		}
		assertThat(lines(output, "WARN", "has no application token to acquire")).singleElement()
			.satisfies((line) -> assertThat(line).contains("names no subject")
				.contains("no application credential configured"));
	}

	@Test
	void acquireWhenNoTokenForTheSubjectThenDebugOnly(CapturedOutput output) {
		TokenSource perUser = (key) -> Mono.error(new TokenAcquisitionException(key.registrationId(),
				"Registration '" + key.registrationId() + "' has no token for this subject"));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", perUser)),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThatExceptionOfType(NoTokenForSubjectException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("bank", SUBJECT)).block());
		assertThatExceptionOfType(SubjectRequiredException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("bank")).block());
		assertThat(lines(output, "DEBUG", "Token acquisition: registration=bank (per-user), "
				+ "outcome=no-token-for-subject, error=TokenAcquisitionException"))
			.hasSize(1);
		assertThat(lines(output, "DEBUG",
				"Token acquisition: registration=bank, outcome=subject-required, error=TokenAcquisitionException"))
			.hasSize(1);
		assertThat(lines(output, "WARN", "")).singleElement()
			.satisfies((line) -> assertThat(line).contains("Registration 'bank' has no application token to acquire"));
		assertThat(output).doesNotContain(SUBJECT);
	}

	private AccessToken expired(String value, String refreshToken) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant().minusSeconds(3600))
			.expiresAt(this.clock.instant().minusSeconds(1))
			.refreshToken(refreshToken)
			.build();
	}

	private static List<String> lines(CapturedOutput output, String level, String text) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains(" " + level + " ") && line.contains(text))
			.toList();
	}

}
