package io.tokenkit.token;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AccessToken}.
 */
class AccessTokenTests {

	private static final Instant ISSUED = Instant.parse("2031-05-01T10:00:00Z");

	@Test
	void buildWhenIssueTimeSetThenTimesAreTheGivenOnes() {
		AccessToken token = AccessToken.withValue("v").issuedAt(ISSUED).expiresAt(ISSUED.plusSeconds(60)).build();
		assertThat(token.getIssuedAt()).isEqualTo(ISSUED);
		assertThat(token.getExpiresAt()).isEqualTo(ISSUED.plusSeconds(60));
	}

	@Test
	void buildWhenTokenExpiresWithoutIssueTimeThenFailsInsteadOfReadingTheSystemClock() {
		// a date far from now: reading the system clock would give an issue time after
		// the expiry
		assertThatIllegalStateException()
			.isThrownBy(() -> AccessToken.withValue("v").expiresAt(Instant.parse("1999-01-01T00:00:00Z")).build())
			.withMessageContaining("issuedAt(clock.instant())");
	}

	@Test
	void buildWhenTokenDoesNotExpireWithoutIssueTimeThenIssuedAtTheEpoch() {
		AccessToken token = AccessToken.withValue("v").build();
		assertThat(token.getExpiresAt()).isNull();
		assertThat(token.getIssuedAt()).isEqualTo(Instant.EPOCH);
	}

}
