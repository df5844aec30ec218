package io.tokenkit.authlete;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.SecretRedactor;
import io.tokenkit.token.TokenApiException;

/**
 * The Authlete API answered with an HTTP error status (400, 401, 403, 404, 500, …), with
 * a body that could not be read, or not at all. Carries the HTTP status and, when the
 * body was an Authlete result, its {@code resultCode}, {@code resultMessage} and
 * {@code action}. The message names the operation, the status and the result code, never
 * a token, a subject or the {@code resultMessage} (Authlete's text, which TokenKit does
 * not control): read that from {@link #getResultMessage()}, where every token-like value
 * Authlete echoed is replaced by {@value SecretRedactor#REDACTED}.
 */
public class AuthleteApiException extends TokenApiException {

	/** The shortest run of token characters {@link #scrub(String)} takes for a token. */
	static final int TOKEN_LIKE_LENGTH = 20;

	private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_.~+=-]{" + TOKEN_LIKE_LENGTH + ",}");

	private final String operation;

	private final @Nullable String resultCode;

	private final @Nullable String resultMessage;

	private final @Nullable AuthleteAction action;

	/**
	 * Create an exception.
	 * @param message the message; never a token or a subject
	 * @param operation the operation, for example {@code create}
	 * @param statusCode the HTTP status, or {@code 0} when there was no answer
	 * @param resultCode the {@code resultCode} of the body, or {@code null}
	 * @param resultMessage the {@code resultMessage} of the body, or {@code null}; kept
	 * without its token-like values
	 * @param action the {@code action} of the body, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public AuthleteApiException(String message, String operation, int statusCode, @Nullable String resultCode,
			@Nullable String resultMessage, @Nullable AuthleteAction action, @Nullable Throwable cause) {
		this(message, operation, statusCode, resultCode, resultMessage, action, null, cause);
	}

	/**
	 * Create an exception for an answer that may have said when to try again
	 * ({@code Retry-After} of a {@code 429} or {@code 503}).
	 * @param message the message; never a token or a subject
	 * @param operation the operation, for example {@code create}
	 * @param statusCode the HTTP status, or {@code 0} when there was no answer
	 * @param resultCode the {@code resultCode} of the body, or {@code null}
	 * @param resultMessage the {@code resultMessage} of the body, or {@code null}; kept
	 * without its token-like values
	 * @param action the {@code action} of the body, or {@code null}
	 * @param retryAfter how long Authlete asked to wait, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public AuthleteApiException(String message, String operation, int statusCode, @Nullable String resultCode,
			@Nullable String resultMessage, @Nullable AuthleteAction action, @Nullable Duration retryAfter,
			@Nullable Throwable cause) {
		super(message, statusCode, retryAfter, cause);
		this.operation = operation;
		this.resultCode = resultCode;
		this.resultMessage = scrub(resultMessage);
		this.action = action;
	}

	/**
	 * Return Authlete's text with every token-like value replaced by
	 * {@value SecretRedactor#REDACTED}: a run of {@value #TOKEN_LIKE_LENGTH} or more
	 * characters of a token's alphabet (letters, digits, {@code -._~+=}) that holds both
	 * a letter and a digit, as an access token, refresh token, JWT or client secret that
	 * Authlete echoes does; words, result codes ({@code A001202}) and paths stay.
	 */
	static @Nullable String scrub(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = TOKEN_LIKE.matcher(text);
		StringBuilder scrubbed = null;
		int copied = 0;
		while (matcher.find()) {
			String run = matcher.group();
			if (run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter)) {
				scrubbed = (scrubbed != null) ? scrubbed : new StringBuilder(text.length());
				scrubbed.append(text, copied, matcher.start()).append(SecretRedactor.REDACTED);
				copied = matcher.end();
			}
		}
		return (scrubbed != null) ? scrubbed.append(text, copied, text.length()).toString() : text;
	}

	/**
	 * Return the operation that failed: {@code reissue-id-token}, {@code list},
	 * {@code create}, {@code update}, {@code delete} or {@code revoke}.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * Return the {@code resultCode} of the answer, for example {@code A001202}.
	 * @return the result code, or {@code null} when the body had none
	 */
	public @Nullable String getResultCode() {
		return this.resultCode;
	}

	/**
	 * Return the {@code resultMessage} of the answer, for example
	 * {@code [A001202] /auth/authorization, Authorization header is missing.}, with every
	 * token-like value replaced by {@value SecretRedactor#REDACTED} (a run of 20 or more
	 * characters of a token's alphabet mixing letters and digits), so that it may be
	 * logged.
	 * @return the result message, or {@code null} when the body had none
	 */
	public @Nullable String getResultMessage() {
		return this.resultMessage;
	}

	/**
	 * Return the {@code action} of the answer, when it had one.
	 * @return the action or {@code null}
	 */
	public @Nullable AuthleteAction getAction() {
		return this.action;
	}

}
