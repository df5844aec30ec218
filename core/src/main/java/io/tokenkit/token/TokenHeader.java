package io.tokenkit.token;

import java.net.URI;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * The request header that carries a registration's token, such as
 * {@code Authorization: Bearer <token>} or {@code x-access-token: <token>}: its name, and
 * its value made from a format with {@value #TOKEN_PLACEHOLDER} where the token goes. The
 * {@link TokenAuthorizer} of a registration that sends its token in one header. The value
 * made for a token is kept with that token, so that a cached token's header is built
 * once, whichever subject's it is; {@link #toString()} never shows a value.
 */
public final class TokenHeader implements TokenAuthorizer {

	/** The placeholder for the token in a header format. */
	public static final String TOKEN_PLACEHOLDER = "{token}";

	/** The default header format: {@code Bearer {token}}. */
	public static final String DEFAULT_FORMAT = "Bearer " + TOKEN_PLACEHOLDER;

	/**
	 * {@code Authorization: Bearer <token>}, the header of
	 * {@link TokenAuthorizer#bearer()}.
	 */
	static final TokenHeader BEARER = of(HttpHeaders.AUTHORIZATION, DEFAULT_FORMAT);

	private final String name;

	private final String prefix;

	private final String suffix;

	private TokenHeader(String name, String prefix, String suffix) {
		this.name = name;
		this.prefix = prefix;
		this.suffix = suffix;
	}

	/**
	 * Return a header.
	 * @param name the header name, for example {@code Authorization} or
	 * {@code x-access-token}
	 * @param format the header value, with {@value #TOKEN_PLACEHOLDER} exactly once, for
	 * example {@code Bearer {token}} or {@code {token}}
	 * @return the header
	 */
	public static TokenHeader of(String name, String format) {
		Assert.hasText(name, "headerName must not be empty");
		Assert.notNull(format, "headerFormat must not be null");
		int placeholder = format.indexOf(TOKEN_PLACEHOLDER);
		Assert.isTrue(placeholder >= 0 && format.indexOf(TOKEN_PLACEHOLDER, placeholder + 1) < 0,
				() -> "headerFormat must contain " + TOKEN_PLACEHOLDER + " exactly once");
		return new TokenHeader(name, format.substring(0, placeholder),
				format.substring(placeholder + TOKEN_PLACEHOLDER.length()));
	}

	/**
	 * Return the header name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the header value that carries a token; the value made for a token is kept
	 * with the token and reused.
	 * @param token the token
	 * @return the header value. This is a secret: never log it
	 */
	public String value(AccessToken token) {
		// a token carries the value of the header that last sent it; a race only builds
		// the value twice, and the value record's final fields publish it safely
		if (token.headerValue instanceof Value cached && cached.header == this) {
			return cached.value;
		}
		String value = this.prefix + token.getTokenValue() + this.suffix;
		token.headerValue = new Value(this, value);
		return value;
	}

	@Override
	public void authorize(AccessToken token, HttpMethod method, URI uri, HttpHeaders headers) {
		headers.set(this.name, value(token));
	}

	/**
	 * Return whether another header has the same name and format.
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof TokenHeader header && this.name.equals(header.name)
				&& this.prefix.equals(header.prefix) && this.suffix.equals(header.suffix));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.prefix, this.suffix);
	}

	@Override
	public String toString() {
		return "TokenHeader[name=" + this.name + "]";
	}

	/**
	 * The header value made for one token by one header.
	 */
	record Value(TokenHeader header, String value) {

		@Override
		public String toString() {
			return "Value[value=[REDACTED]]";
		}

	}

}
