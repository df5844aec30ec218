package io.tokenkit.support;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds, or an
 * HTTP-date taken relative to the answer's own {@code Date} header, so that no clock is
 * read. Internal to TokenKit.
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * Parse a {@code Retry-After} value.
	 * @param retryAfter the {@code Retry-After} header, or {@code null}
	 * @param date the {@code Date} header of the same answer, or {@code null}
	 * @return how long to wait, zero for an HTTP-date in the past, or {@code null} when
	 * the header is absent or unreadable, or is an HTTP-date and the answer had no
	 * readable {@code Date}
	 */
	public static @Nullable Duration parse(@Nullable String retryAfter, @Nullable String date) {
		if (retryAfter == null || retryAfter.isBlank()) {
			return null;
		}
		String value = retryAfter.strip();
		if (value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			// more digits than a long holds: wait as long as a long allows
			return (value.length() > 18) ? Duration.ofSeconds(Long.MAX_VALUE / 1000)
					: Duration.ofSeconds(Long.parseLong(value));
		}
		ZonedDateTime until = httpDate(value);
		ZonedDateTime now = (date != null) ? httpDate(date.strip()) : null;
		if (until == null || now == null) {
			return null;
		}
		Duration wait = Duration.between(now, until);
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private static @Nullable ZonedDateTime httpDate(String value) {
		try {
			return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
