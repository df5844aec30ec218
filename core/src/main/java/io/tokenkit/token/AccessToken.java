package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An access token with its type, lifetime, granted scopes and, when the issuer returned
 * them, a refresh token and an OpenID Connect ID token.
 * <p>
 * Instances are immutable. Times are held as epoch milliseconds so that the token manager
 * can decide whether a cached token is still usable without allocating.
 * {@link #toString()} never shows the access token, the refresh token or the ID token.
 *
 * @see TokenSource
 * @see TokenManager
 */
public final class AccessToken {

	/** The token type most issuers return: {@code Bearer}. */
	public static final String BEARER = "Bearer";

	/** Epoch millisecond value that marks a token with no known expiry. */
	private static final long NO_EXPIRY = Long.MAX_VALUE;

	private final String tokenValue;

	private final String tokenType;

	private final long issuedAtMillis;

	private final long expiresAtMillis;

	private final Set<String> scopes;

	private final @Nullable String refreshToken;

	private final @Nullable String idToken;

	private final long refreshTokenExpiresAtMillis;

	private final @Nullable String origin;

	private final @Nullable String keyThumbprint;

	private final boolean refreshedAhead;

	/**
	 * The {@link TokenHeader} value last made for this token, so that a cached token's
	 * header is built once. Not part of the token's value: never copied, compared or
	 * shown.
	 */
	@Nullable Object headerValue;

	private AccessToken(String tokenValue, String tokenType, long issuedAtMillis, long expiresAtMillis,
			Set<String> scopes, @Nullable String refreshToken, @Nullable String idToken,
			long refreshTokenExpiresAtMillis, @Nullable String origin, @Nullable String keyThumbprint,
			boolean refreshedAhead) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		Assert.hasText(tokenType, "tokenType must not be empty");
		Assert.isTrue(expiresAtMillis >= issuedAtMillis, "expiresAt must not be before issuedAt");
		this.tokenValue = tokenValue;
		this.tokenType = BEARER.equalsIgnoreCase(tokenType) ? BEARER : tokenType;
		this.issuedAtMillis = issuedAtMillis;
		this.expiresAtMillis = expiresAtMillis;
		this.scopes = scopes;
		this.refreshToken = refreshToken;
		this.idToken = idToken;
		this.refreshTokenExpiresAtMillis = refreshTokenExpiresAtMillis;
		this.origin = origin;
		this.keyThumbprint = keyThumbprint;
		this.refreshedAhead = refreshedAhead;
	}

	/**
	 * Start building a token with the given value.
	 * @param tokenValue the access token value sent to resource servers
	 * @return a builder
	 */
	public static Builder withValue(String tokenValue) {
		return new Builder(tokenValue);
	}

	/**
	 * Build a token from the fields of a standard token response (RFC 6749, section 5.1),
	 * as an exchange of the application's own parsed its JSON body: {@code access_token}
	 * (required), {@code token_type}, {@code expires_in} (seconds, a number or its text),
	 * {@code scope} (space-separated), {@code refresh_token}, {@code id_token} and the
	 * common {@code refresh_expires_in}. Other fields are ignored. Without
	 * {@code expires_in} (RFC 6749 lets a server leave it out) the token expires as
	 * TokenKit's own token calls assume ({@link TokenLifetimes#DEFAULT}): at its JWT
	 * {@code exp}, else an hour after {@code sentAt}, so that TokenKit refreshes it ahead
	 * (Spring Security's token response would expire it a second after issue); a JWT
	 * {@code exp} earlier than {@code expires_in} wins too.
	 * @param tokenResponse the response's fields
	 * @param sentAt when the token request was sent: the issue time, from which
	 * {@code expires_in} counts
	 * @return the token
	 * @throws IllegalArgumentException if {@code access_token} is missing, or a lifetime
	 * is not a number of seconds (the message names the field, never its value)
	 */
	public static AccessToken from(Map<String, ?> tokenResponse, Instant sentAt) {
		Assert.notNull(tokenResponse, "tokenResponse must not be null");
		Assert.notNull(sentAt, "sentAt must not be null");
		Object value = tokenResponse.get("access_token");
		Assert.isTrue(value instanceof String text && !text.isBlank(),
				"the token response has no access_token: pass the fields of a successful answer");
		Builder builder = withValue((String) value).issuedAt(sentAt);
		Object type = tokenResponse.get("token_type");
		if (type instanceof String text && !text.isBlank()) {
			builder.tokenType(text);
		}
		Long expiresIn = seconds(tokenResponse, "expires_in");
		// without expires_in: as TokenKit's own token calls, so that the token is
		// refreshed
		builder.expiresAt(TokenLifetimes.DEFAULT.expiresAt(sentAt,
				(expiresIn != null) ? Duration.ofSeconds(expiresIn) : null, (String) value));
		Long refreshExpiresIn = seconds(tokenResponse, "refresh_expires_in");
		builder.refreshTokenExpiresAt(
				(refreshExpiresIn != null && refreshExpiresIn > 0) ? sentAt.plusSeconds(refreshExpiresIn) : null);
		Object scope = tokenResponse.get("scope");
		if (scope instanceof String text && !text.isBlank()) {
			builder.scopes(new LinkedHashSet<>(Arrays.asList(text.strip().split("\\s+"))));
		}
		return builder.refreshToken(text(tokenResponse, "refresh_token"))
			.idToken(text(tokenResponse, "id_token"))
			.build();
	}

	private static @Nullable Long seconds(Map<String, ?> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			return null;
		}
		try {
			long seconds = (value instanceof Number number) ? number.longValue()
					: Long.parseLong(value.toString().strip());
			Assert.isTrue(seconds >= 0, () -> name + " must not be negative");
			return seconds;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " of the token response is not a number of seconds");
		}
	}

	private static @Nullable String text(Map<String, ?> fields, String name) {
		Object value = fields.get(name);
		return (value instanceof String text && !text.isBlank()) ? text : null;
	}

	/**
	 * Return the access token value. This is a secret: never log it.
	 * @return the token value
	 */
	public String getTokenValue() {
		return this.tokenValue;
	}

	/**
	 * Return the token type, {@code Bearer} unless the issuer said otherwise.
	 * @return the token type
	 */
	public String getTokenType() {
		return this.tokenType;
	}

	/**
	 * Return when the token was issued.
	 * @return the issue time
	 */
	public Instant getIssuedAt() {
		return Instant.ofEpochMilli(this.issuedAtMillis);
	}

	/**
	 * Return when the token expires, or {@code null} if the issuer gave no lifetime.
	 * @return the expiry or {@code null}
	 */
	public @Nullable Instant getExpiresAt() {
		return (this.expiresAtMillis != NO_EXPIRY) ? Instant.ofEpochMilli(this.expiresAtMillis) : null;
	}

	/**
	 * Return the issue time as epoch milliseconds.
	 * @return the issue time in milliseconds
	 */
	public long getIssuedAtMillis() {
		return this.issuedAtMillis;
	}

	/**
	 * Return the expiry as epoch milliseconds, {@link Long#MAX_VALUE} when the token does
	 * not expire.
	 * @return the expiry in milliseconds
	 */
	public long getExpiresAtMillis() {
		return this.expiresAtMillis;
	}

	/**
	 * Return the granted scopes, empty when the issuer did not say.
	 * @return the scopes, never {@code null}
	 */
	public Set<String> getScopes() {
		return this.scopes;
	}

	/**
	 * Return the refresh token, if the issuer returned one. This is a secret: never log
	 * it.
	 * @return the refresh token or {@code null}
	 */
	public @Nullable String getRefreshToken() {
		return this.refreshToken;
	}

	/**
	 * Return the OpenID Connect ID token, if the issuer returned one. This is a secret:
	 * never log it.
	 * @return the ID token or {@code null}
	 */
	public @Nullable String getIdToken() {
		return this.idToken;
	}

	/**
	 * Return whether two tokens have the same value.
	 * @param a one token
	 * @param b the other
	 * @return whether their values are the same
	 */
	static boolean sameValue(AccessToken a, AccessToken b) {
		return a == b || a.getTokenValue().equals(b.getTokenValue());
	}

	/**
	 * Return whether the token is expired at the given time.
	 * @param nowMillis the current time in epoch milliseconds
	 * @return whether the token is expired
	 */
	public boolean isExpired(long nowMillis) {
		return nowMillis >= this.expiresAtMillis;
	}

	/**
	 * Return when the refresh token expires, when the server said so (OAuth 2.0's
	 * non-standard but common {@code refresh_expires_in}).
	 * @return the refresh token's expiry, or {@code null} when unknown
	 */
	public @Nullable Instant getRefreshTokenExpiresAt() {
		return (this.refreshTokenExpiresAtMillis != NO_EXPIRY) ? Instant.ofEpochMilli(this.refreshTokenExpiresAtMillis)
				: null;
	}

	/**
	 * Return the fingerprint of the credential this token's chain was acquired from, when
	 * its source records one: a hash (never the value) of a registration's configured
	 * refresh token, so that the source can tell a token acquired from a refresh token
	 * configured before ({@link TokenSource#isCurrent(TokenKey, AccessToken)}).
	 * @return the fingerprint, or {@code null} when none is recorded
	 */
	public @Nullable String getOrigin() {
		return this.origin;
	}

	/**
	 * Return the JWK SHA-256 thumbprint (RFC 7638) of the DPoP key whose proofs acquired
	 * the token: the key a DPoP-bound token is bound to ({@code jkt}, RFC 9449 §6), or
	 * the key that asked when the server answered with a {@code Bearer} token. A DPoP
	 * registration sends only tokens acquired with its own key.
	 * @return the thumbprint, or {@code null} for a token acquired without DPoP
	 */
	public @Nullable String getKeyThumbprint() {
		return this.keyThumbprint;
	}

	/**
	 * Return whether the token manager refreshes this token ahead of its expiry, within
	 * its registration's refresh skew; {@code true} unless its source said otherwise. A
	 * token that no later token can outlive (one made from a subject token and cut to
	 * that token's expiry) is not: it is served until it expires.
	 * @return whether the token is refreshed ahead
	 */
	public boolean isRefreshedAhead() {
		return this.refreshedAhead;
	}

	/**
	 * Return a copy of this token that keeps every field but is already expired, so that
	 * its refresh token can still be used while the access token is no longer served.
	 * @return an expired copy
	 */
	public AccessToken expired() {
		return new AccessToken(this.tokenValue, this.tokenType, this.issuedAtMillis, this.issuedAtMillis, this.scopes,
				this.refreshToken, this.idToken, this.refreshTokenExpiresAtMillis, this.origin, this.keyThumbprint,
				this.refreshedAhead);
	}

	/**
	 * Return a builder initialised with every field of this token.
	 * @return a builder
	 */
	public Builder mutate() {
		Builder builder = new Builder(this.tokenValue);
		builder.tokenType = this.tokenType;
		builder.issuedAtMillis = this.issuedAtMillis;
		builder.expiresAtMillis = this.expiresAtMillis;
		builder.scopes = this.scopes;
		builder.refreshToken = this.refreshToken;
		builder.idToken = this.idToken;
		builder.refreshTokenExpiresAtMillis = this.refreshTokenExpiresAtMillis;
		builder.origin = this.origin;
		builder.keyThumbprint = this.keyThumbprint;
		builder.refreshedAhead = this.refreshedAhead;
		return builder;
	}

	@Override
	public boolean equals(Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof AccessToken other)) {
			return false;
		}
		return this.tokenValue.equals(other.tokenValue) && this.tokenType.equals(other.tokenType)
				&& this.issuedAtMillis == other.issuedAtMillis && this.expiresAtMillis == other.expiresAtMillis;
	}

	@Override
	public int hashCode() {
		return this.tokenValue.hashCode();
	}

	@Override
	public String toString() {
		return "AccessToken[type=" + this.tokenType + ", value=[REDACTED], issuedAt=" + getIssuedAt() + ", expiresAt="
				+ getExpiresAt() + ", scopes=" + this.scopes + ", refreshToken="
				+ ((this.refreshToken != null) ? "[REDACTED]" : "none") + ", idToken="
				+ ((this.idToken != null) ? "[REDACTED]" : "none") + "]";
	}

	/**
	 * Builder for {@link AccessToken}.
	 */
	public static final class Builder {

		private final String tokenValue;

		private String tokenType = BEARER;

		private long issuedAtMillis = -1;

		private long expiresAtMillis = NO_EXPIRY;

		private Set<String> scopes = Collections.emptySet();

		private @Nullable String refreshToken;

		private @Nullable String idToken;

		private long refreshTokenExpiresAtMillis = NO_EXPIRY;

		private @Nullable String origin;

		private @Nullable String keyThumbprint;

		private boolean refreshedAhead = true;

		private Builder(String tokenValue) {
			this.tokenValue = tokenValue;
		}

		/**
		 * Set the token type.
		 * @param tokenType the type, e.g. {@code Bearer}
		 * @return this builder
		 */
		public Builder tokenType(String tokenType) {
			this.tokenType = tokenType;
			return this;
		}

		/**
		 * Set the issue time.
		 * @param issuedAt the issue time
		 * @return this builder
		 */
		public Builder issuedAt(Instant issuedAt) {
			this.issuedAtMillis = issuedAt.toEpochMilli();
			return this;
		}

		/**
		 * Set the expiry; {@code null} for a token that does not expire.
		 * @param expiresAt the expiry or {@code null}
		 * @return this builder
		 */
		public Builder expiresAt(@Nullable Instant expiresAt) {
			this.expiresAtMillis = (expiresAt != null) ? expiresAt.toEpochMilli() : NO_EXPIRY;
			return this;
		}

		/**
		 * Set the granted scopes.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder scopes(Set<String> scopes) {
			this.scopes = scopes.isEmpty() ? Collections.emptySet()
					: Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
			return this;
		}

		/**
		 * Set the refresh token.
		 * @param refreshToken the refresh token or {@code null}
		 * @return this builder
		 */
		public Builder refreshToken(@Nullable String refreshToken) {
			this.refreshToken = refreshToken;
			return this;
		}

		/**
		 * Set the ID token.
		 * @param idToken the ID token or {@code null}
		 * @return this builder
		 */
		public Builder idToken(@Nullable String idToken) {
			this.idToken = idToken;
			return this;
		}

		/**
		 * Set when the refresh token expires.
		 * @param refreshTokenExpiresAt the refresh token's expiry, or {@code null} when
		 * unknown
		 * @return this builder
		 */
		public Builder refreshTokenExpiresAt(@Nullable Instant refreshTokenExpiresAt) {
			this.refreshTokenExpiresAtMillis = (refreshTokenExpiresAt != null) ? refreshTokenExpiresAt.toEpochMilli()
					: NO_EXPIRY;
			return this;
		}

		/**
		 * Set the fingerprint of the credential the token's chain was acquired from.
		 * @param origin a hash of the credential, never the credential itself; or
		 * {@code null}
		 * @return this builder
		 * @see AccessToken#getOrigin()
		 */
		public Builder origin(@Nullable String origin) {
			this.origin = origin;
			return this;
		}

		/**
		 * Set the thumbprint of the DPoP key whose proofs acquired the token.
		 * @param keyThumbprint the JWK SHA-256 thumbprint (RFC 7638), or {@code null}
		 * @return this builder
		 * @see AccessToken#getKeyThumbprint()
		 */
		public Builder keyThumbprint(@Nullable String keyThumbprint) {
			this.keyThumbprint = keyThumbprint;
			return this;
		}

		/**
		 * Set whether the token manager refreshes the token ahead of its expiry;
		 * {@code true} unless set.
		 * @param refreshedAhead {@code false} for a token served until it expires, then
		 * made again: one that no later token can outlive
		 * @return this builder
		 * @see AccessToken#isRefreshedAhead()
		 */
		public Builder refreshedAhead(boolean refreshedAhead) {
			this.refreshedAhead = refreshedAhead;
			return this;
		}

		/**
		 * Build the token. A token that expires needs its issue time, which TokenKit
		 * takes from the {@link java.time.Clock} of whoever acquired it (this builder
		 * reads no clock); a token that does not expire is taken to be issued at the
		 * epoch when no issue time is set.
		 * @return the token
		 * @throws IllegalStateException if the token expires but has no issue time
		 */
		public AccessToken build() {
			long issuedAt = this.issuedAtMillis;
			if (issuedAt < 0) {
				Assert.state(this.expiresAtMillis == NO_EXPIRY,
						"issuedAt must be set for a token that expires: use issuedAt(clock.instant())");
				issuedAt = 0;
			}
			return new AccessToken(this.tokenValue, this.tokenType, issuedAt, this.expiresAtMillis, this.scopes,
					this.refreshToken, this.idToken, this.refreshTokenExpiresAtMillis, this.origin, this.keyThumbprint,
					this.refreshedAhead);
		}

	}

}
