package io.tokenkit.aozora;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.Sha256;

import org.springframework.util.Assert;

/**
 * Builds and checks the {@code state} of an authorization request the way the bank's SDKs
 * do: {@code state = lower-case hex(SHA-256(UTF-8(sessionId + salt)))}, 64 characters.
 * The state binds the callback to the session that started the authorization, so a
 * callback from another session's browser is rejected.
 */
public final class GmoAozoraState {

	private final String salt;

	/**
	 * Create a state builder.
	 * @param salt the application's secret salt ({@code SALT} in the bank's SDKs)
	 */
	public GmoAozoraState(String salt) {
		Assert.hasText(salt, "salt must not be empty");
		this.salt = salt;
	}

	/**
	 * Return the state of a session.
	 * @param sessionId the session id of the user agent that starts the authorization
	 * @return the state, 64 lower-case hex characters
	 */
	public String generate(String sessionId) {
		Assert.hasText(sessionId, "sessionId must not be empty");
		return HexFormat.of().formatHex(digest(sessionId));
	}

	/**
	 * Check the {@code state} a callback brought back against the current session, in
	 * constant time.
	 * @param sessionId the session id of the user agent that delivered the callback
	 * @param state the {@code state} query parameter of the callback, or {@code null}
	 * when it had none
	 * @throws GmoAozoraStateException if the state is missing or was not made for this
	 * session
	 */
	public void verify(String sessionId, @Nullable String state) {
		Assert.hasText(sessionId, "sessionId must not be empty");
		if (state == null || state.isEmpty()) {
			throw new GmoAozoraStateException("The authorization callback carries no state");
		}
		byte[] expected = generate(sessionId).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, state.getBytes(StandardCharsets.UTF_8))) {
			throw new GmoAozoraStateException(
					"The state of the authorization callback was not made for this session (forged request, or the session changed)");
		}
	}

	private byte[] digest(String sessionId) {
		return Sha256.digest(sessionId + this.salt);
	}

	@Override
	public String toString() {
		return "GmoAozoraState[salt=[REDACTED]]";
	}

}
