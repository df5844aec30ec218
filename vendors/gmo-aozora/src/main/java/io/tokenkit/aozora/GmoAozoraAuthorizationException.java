package io.tokenkit.aozora;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKitException;

/**
 * The bank redirected the user back with an error instead of an authorization code
 * ({@code error}, {@code error_description}, {@code error_uri}, {@code state} on the
 * redirect URI), or the callback carried no code.
 */
public class GmoAozoraAuthorizationException extends TokenKitException {

	private static final int MAX_DESCRIPTION_LENGTH = 200;

	private final @Nullable String error;

	private final @Nullable String errorDescription;

	private final @Nullable String errorUri;

	private final @Nullable String state;

	/**
	 * Create an exception.
	 * @param error the {@code error} code, for example {@code access_denied}, or
	 * {@code null} when the callback carried neither an error nor a code
	 * @param errorDescription the {@code error_description}, or {@code null}
	 * @param errorUri the {@code error_uri}, or {@code null}
	 * @param state the {@code state}, or {@code null}
	 */
	public GmoAozoraAuthorizationException(@Nullable String error, @Nullable String errorDescription,
			@Nullable String errorUri, @Nullable String state) {
		super(message(error, errorDescription));
		this.error = error;
		this.errorDescription = errorDescription;
		this.errorUri = errorUri;
		this.state = state;
	}

	private static String message(@Nullable String error, @Nullable String description) {
		if (error == null) {
			return "The authorization callback carries neither a code nor an error";
		}
		StringBuilder message = new StringBuilder("GMO Aozora authorization failed: ").append(error);
		if (description != null) {
			message.append(" (")
				.append((description.length() > MAX_DESCRIPTION_LENGTH)
						? description.substring(0, MAX_DESCRIPTION_LENGTH) + "…" : description)
				.append(")");
		}
		return message.toString();
	}

	/**
	 * Return the {@code error} code.
	 * @return the error, or {@code null} when the callback carried neither an error nor a
	 * code
	 */
	public @Nullable String getError() {
		return this.error;
	}

	/**
	 * Return the {@code error_description}.
	 * @return the description or {@code null}
	 */
	public @Nullable String getErrorDescription() {
		return this.errorDescription;
	}

	/**
	 * Return the {@code error_uri}.
	 * @return the URI or {@code null}
	 */
	public @Nullable String getErrorUri() {
		return this.errorUri;
	}

	/**
	 * Return the {@code state} of the callback.
	 * @return the state or {@code null}
	 */
	public @Nullable String getState() {
		return this.state;
	}

}
