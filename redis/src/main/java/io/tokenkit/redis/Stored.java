package io.tokenkit.redis;

import java.math.BigDecimal;
import java.util.List;

/** What Redis holds for a key. */
record Stored(String payload, long generation, boolean dead) {

	static final Stored NONE = new Stored("", 0, false);

	static Stored of(List<?> values) {
		return new Stored(String.valueOf(values.get(0)), generation(String.valueOf(values.get(1))),
				"1".equals(String.valueOf(values.get(2))));
	}

	/**
	 * Read a generation: integer text, or the exponent form the previous release's
	 * scripts may have written ({@code 1.77e+15}); one that cannot be read as a whole
	 * number counts as none ({@code 0}), never as an error.
	 */
	static long generation(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			try {
				return new BigDecimal(text).longValueExact();
			}
			catch (NumberFormatException | ArithmeticException notNumber) {
				return 0;
			}
		}
	}

}
