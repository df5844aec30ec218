package io.tokenkit.token;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * An error answer (HTTP status 4xx or 5xx, or a body that could not be read) from a token
 * or credential API. Vendor clients raise subclasses that carry the vendor's error
 * fields.
 * <p>
 * A success answer that TokenKit refuses (a token that would not live a second, no access
 * token) may still carry a new refresh token, which a server that rotates refresh tokens
 * has already put in place of the one sent: the exception then
 * {@link #carryingRefreshToken carries} it, so that the {@link TokenManager} keeps it for
 * the next refresh. It is a secret: never in the message, never in {@link #toString()},
 * and not serialized.
 */
public class TokenApiException extends TokenKitException {

	private final int statusCode;

	private final @Nullable Duration retryAfter;

	private transient volatile @Nullable String rotatedRefreshToken;

	/**
	 * Create an exception.
	 * @param message what went wrong and what to do; never a token or a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no response
	 */
	public TokenApiException(String message, int statusCode) {
		super(message);
		this.statusCode = statusCode;
		this.retryAfter = null;
	}

	/**
	 * Create an exception with a cause.
	 * @param message what went wrong and what to do; never a token or a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no response
	 * @param cause the cause
	 */
	public TokenApiException(String message, int statusCode, @Nullable Throwable cause) {
		this(message, statusCode, null, cause);
	}

	/**
	 * Create an exception for an answer that said when to try again.
	 * @param message what went wrong and what to do; never a token or a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no response
	 * @param retryAfter the answer's {@code Retry-After}, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public TokenApiException(String message, int statusCode, @Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(message, cause);
		this.statusCode = statusCode;
		this.retryAfter = retryAfter;
	}

	/**
	 * Return the HTTP status of the answer, or {@code 0} when there was none.
	 * @return the status code
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Return how long the server asked to wait before the next call ({@code Retry-After}
	 * of a {@code 429} or {@code 503}).
	 * @return the time to wait, or {@code null} when the answer did not say
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Return whether this answer means that the credential redeemed (a refresh token) is
	 * dead and the user must authorize again, such as OAuth 2.0's {@code invalid_grant}
	 * on a refresh. A refresh that fails so is not tried again until a new token is
	 * saved.
	 * @return whether a new authorization is needed
	 */
	public boolean isReauthorizationRequired() {
		return false;
	}

	/**
	 * Carry the refresh token of the refused success answer that this exception reports,
	 * or stop carrying one.
	 * @param refreshToken the answer's refresh token, or {@code null}
	 * @return this exception
	 */
	public TokenApiException carryingRefreshToken(@Nullable String refreshToken) {
		this.rotatedRefreshToken = (refreshToken != null && !refreshToken.isEmpty()) ? refreshToken : null;
		return this;
	}

	/**
	 * Return the refresh token of the refused success answer that an error reports,
	 * carried by the first {@code TokenApiException} in its cause chain that carries one:
	 * the server may have rotated to it already, so that only it refreshes from now on.
	 * This is a secret: never log it. It is read only here, never through a property of
	 * the exception, so that it is not serialized. A failure that reaches the callers of
	 * the {@link TokenManager} carries it no more (the manager stored it); a direct
	 * caller of a typed client (a code exchange, a refresh of its own) gets it only from
	 * this method.
	 * @param error the error
	 * @return the refresh token, or {@code null} when none is carried
	 */
	public static @Nullable String rotatedRefreshTokenOf(@Nullable Throwable error) {
		for (Throwable candidate = error; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof TokenApiException api && api.rotatedRefreshToken != null) {
				return api.rotatedRefreshToken;
			}
		}
		return null;
	}

	/**
	 * Stop carrying a refresh token in {@code error} and in every
	 * {@code TokenApiException} of its cause chain: an error that goes on to a caller
	 * that must not keep the refresh token (it was stored, or it is the one sent) carries
	 * none.
	 * @param error the error, or {@code null}
	 */
	public static void forgetRotatedRefreshTokens(@Nullable Throwable error) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable candidate = error; candidate != null && seen.add(candidate); candidate = candidate.getCause()) {
			if (candidate instanceof TokenApiException api) {
				api.carryingRefreshToken(null);
			}
		}
	}

	/**
	 * Return the first {@code TokenApiException} in the cause chain of an error: what the
	 * token API answered, however many wrappers lie around it.
	 * @param error the error, or {@code null}
	 * @return the token API's answer, or {@code null} when the error reports none
	 */
	public static @Nullable TokenApiException find(@Nullable Throwable error) {
		return find(error, (api) -> true);
	}

	/**
	 * Return the first {@code TokenApiException} in the cause chain of an error that
	 * matches: a source may wrap the token API's answer in a {@code TokenApiException} of
	 * its own, so that the answer that says, for example, that a new authorization is
	 * needed or when to try again may lie deeper than the first one.
	 * @param error the error, or {@code null}
	 * @param matching what the answer must say
	 * @return the first matching answer, or {@code null} when none in the chain matches
	 */
	public static @Nullable TokenApiException find(@Nullable Throwable error,
			Predicate<? super TokenApiException> matching) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable candidate = error; candidate != null && seen.add(candidate); candidate = candidate.getCause()) {
			if (candidate instanceof TokenApiException api && matching.test(api)) {
				return api;
			}
		}
		return null;
	}

}
