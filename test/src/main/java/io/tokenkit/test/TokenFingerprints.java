package io.tokenkit.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.assertj.core.presentation.StandardRepresentation;

/**
 * Shows a string in an assertion's failure message as a fingerprint of it (the start of
 * its SHA-256 and its length), so that a token never appears in a test report.
 */
final class TokenFingerprints extends StandardRepresentation {

	static final TokenFingerprints INSTANCE = new TokenFingerprints();

	private TokenFingerprints() {
	}

	@Override
	public String toStringOf(Object object) {
		return (object instanceof String string) ? fingerprint(string) : super.toStringOf(object);
	}

	@Override
	public String unambiguousToStringOf(Object object) {
		return toStringOf(object);
	}

	private static String fingerprint(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return "token sha256:" + HexFormat.of().formatHex(digest, 0, 6) + " (" + token.length() + " chars)";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
