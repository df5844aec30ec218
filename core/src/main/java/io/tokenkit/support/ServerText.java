package io.tokenkit.support;

import org.springframework.util.Assert;

/**
 * Shortens text a server wrote (an error description or message) to {@link #MAX_LENGTH}
 * characters before it goes into an exception message. Internal to TokenKit.
 */
public final class ServerText {

	/** The most characters of server text an exception message quotes. */
	public static final int MAX_LENGTH = 200;

	private ServerText() {
	}

	/**
	 * Shorten a text to {@value #MAX_LENGTH} characters followed by {@code …}.
	 * @param text the text
	 * @return the text, or its first {@value #MAX_LENGTH} characters and {@code …}
	 */
	public static String truncate(String text) {
		Assert.notNull(text, "text must not be null");
		return (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) + "…" : text;
	}

}
