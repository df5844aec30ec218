package io.tokenkit.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryAfter}.
 */
class RetryAfterTests {

	private static final String DATE = "Mon, 23 Nov 2026 10:00:00 GMT";

	@Test
	void parseWhenDelaySecondsThenThatLong() {
		assertThat(RetryAfter.parse("60", null)).isEqualTo(Duration.ofSeconds(60));
		assertThat(RetryAfter.parse(" 0 ", DATE)).isEqualTo(Duration.ZERO);
	}

	@Test
	void parseWhenHttpDateThenRelativeToTheAnswersDate() {
		assertThat(RetryAfter.parse("Mon, 23 Nov 2026 10:01:30 GMT", DATE)).isEqualTo(Duration.ofSeconds(90));
		assertThat(RetryAfter.parse("Mon, 23 Nov 2026 09:59:00 GMT", DATE)).isEqualTo(Duration.ZERO);
	}

	@Test
	void parseWhenHttpDateWithoutDateThenNull() {
		assertThat(RetryAfter.parse("Mon, 23 Nov 2026 10:01:30 GMT", null)).isNull();
		assertThat(RetryAfter.parse("Mon, 23 Nov 2026 10:01:30 GMT", "yesterday")).isNull();
	}

	@Test
	void parseWhenAbsentOrUnreadableThenNull() {
		assertThat(RetryAfter.parse(null, DATE)).isNull();
		assertThat(RetryAfter.parse("", DATE)).isNull();
		assertThat(RetryAfter.parse("-5", DATE)).isNull();
		assertThat(RetryAfter.parse("soon", DATE)).isNull();
	}

	@Test
	void parseWhenHugeDelayThenNoOverflow() {
		assertThat(RetryAfter.parse("99999999999999999999999", null)).isPositive();
	}

}
