package io.tokenkit.authlete;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * The {@code action} of an Authlete API response: what the caller should do next. Each
 * API uses a subset:
 * <ul>
 * <li>{@code /idtoken/reissue}: {@link #OK}, {@link #INTERNAL_SERVER_ERROR},
 * {@link #CALLER_ERROR};</li>
 * <li>{@code /auth/token/create}: {@link #OK}, {@link #BAD_REQUEST}, {@link #FORBIDDEN},
 * {@link #INTERNAL_SERVER_ERROR};</li>
 * <li>{@code /auth/token/update}: the same plus {@link #NOT_FOUND}.</li>
 * </ul>
 * A value this version does not know is read as {@link #UNKNOWN}.
 */
public enum AuthleteAction {

	/** The call succeeded. */
	OK,

	/** The request was wrong, for example a required field was missing. */
	BAD_REQUEST,

	/**
	 * The request is not allowed, for example the client does not belong to the service.
	 */
	FORBIDDEN,

	/** The token to update does not exist. */
	NOT_FOUND,

	/** Authlete had an internal error. */
	INTERNAL_SERVER_ERROR,

	/** The API call itself was wrong, for example it lacked a required parameter. */
	CALLER_ERROR,

	/** An action that this version of TokenKit does not know. */
	@JsonEnumDefaultValue
	UNKNOWN

}
