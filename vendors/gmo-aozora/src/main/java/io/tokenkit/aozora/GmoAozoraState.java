package io.tokenkit.aozora;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.Sha256;

import org.springframework.util.Assert;

/**
 * Builds and checks the {@code state} of an authorization request the way the bank's SDKs
 * do: {@code state = lower-case hex(SHA-256(UTF-8(sessionId + salt)))}, 64 characters.
 * The state binds the callback to the session that started the authorization, so a
 * callback from another session's browser is rejected.
 * <p>
 * With PKCE the state also names its authorization request:
 * {@code hex(SHA-256(sessionId + salt)) "." requestId}, 108 characters (the bank takes up
 * to 128). The request's {@code code_verifier} is random and kept on the server under the
 * whole state (see {@link GmoAozoraClient#withPkce}); it is never derived from the state.
 */
public final class GmoAozoraState {

	private static final char REQUEST_SEPARATOR = '.';

	private static final Base64.Encoder BASE64_URL = Base64.getUrlEncoder().withoutPadding();

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

	/**
	 * Return the state of a session's authorization request with PKCE: the session's
	 * state, a dot and the request id.
	 * @param sessionId the session id of the user agent that starts the authorization
	 * @param requestId the id of the authorization request, base64url characters
	 * @return the state
	 */
	String generate(String sessionId, String requestId) {
		Assert.hasText(requestId, "requestId must not be empty");
		return generate(sessionId) + REQUEST_SEPARATOR + requestId;
	}

	/**
	 * Check the state of a callback of an authorization request with PKCE against the
	 * current session, and return the id of its request.
	 * @param sessionId the session id of the user agent that delivered the callback
	 * @param state the {@code state} of the callback, or {@code null}
	 * @return the request id
	 * @throws GmoAozoraStateException if the state is missing, names no request or was
	 * not made for this session
	 */
	String verifyRequest(String sessionId, @Nullable String state) {
		int separator = (state != null) ? state.lastIndexOf(REQUEST_SEPARATOR) : -1;
		if (state != null && !state.isEmpty() && (separator <= 0 || separator == state.length() - 1)) {
			throw new GmoAozoraStateException("The state of the authorization callback names no PKCE request: "
					+ "the authorization was started without PKCE (before tokenkit.gmo-aozora.pkce was switched on, "
					+ "or by another application); start a new authorization");
		}
		verify(sessionId, (state != null) ? state.substring(0, Math.max(separator, 0)) : null);
		return state.substring(separator + 1);
	}

	/**
	 * Return the PKCE {@code code_challenge} of a code verifier with the {@code S256}
	 * method: {@code base64url(SHA-256(ASCII(code_verifier)))}.
	 * @param codeVerifier the code verifier
	 * @return the code challenge
	 */
	static String codeChallenge(String codeVerifier) {
		return BASE64_URL.encodeToString(Sha256.digest(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
	}

	private byte[] digest(String sessionId) {
		return Sha256.digest(sessionId + this.salt);
	}

	@Override
	public String toString() {
		return "GmoAozoraState[salt=[REDACTED]]";
	}

}
