package io.tokenkit.authlete;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Converts Authlete's epoch-millisecond times.
 */
final class Times {

	private Times() {
	}

	static @Nullable Instant instant(@Nullable Long epochMillis) {
		return (epochMillis != null) ? Instant.ofEpochMilli(epochMillis) : null;
	}

	static @Nullable Long millis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

}
