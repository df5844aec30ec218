package io.tokenkit.saasus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.AccessToken;

import org.springframework.util.Assert;

/**
 * Turns SaaSus {@link Credentials} into the {@link AccessToken} that the token manager
 * caches and the bearer filter sends.
 * <ul>
 * <li><strong>Value</strong>: the {@code access_token} by default, or the
 * {@code id_token} with {@link SaasusBearerToken#ID_TOKEN}. The {@code id_token} is
 * always kept as {@link AccessToken#getIdToken()}, the {@code refresh_token} as
 * {@link AccessToken#getRefreshToken()}.</li>
 * <li><strong>Refresh token</strong>: when the credentials carry none (a
 * {@code refreshTokenAuth} answer may omit it), the previous refresh token is kept.</li>
 * <li><strong>Expiry</strong>: SaaSus tokens are JWTs; the expiry is the {@code exp}
 * claim of the token sent, read from its payload <em>without verifying the signature</em>
 * (it only schedules refreshes; whoever receives the token verifies it). When the token
 * is not a JWT or has no usable {@code exp}, the token lives for the configured default
 * lifetime from now. An {@code exp} in the past gives a token that is already
 * expired.</li>
 * </ul>
 */
public final class SaasusTokenConverter {

	/**
	 * The lifetime assumed for a token whose expiry cannot be read: one hour, as SaaSus'
	 * Cognito tokens.
	 */
	public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock;

	private final Duration defaultLifetime;

	private final SaasusBearerToken bearerToken;

	/**
	 * Create a converter that sends the access token.
	 * @param clock the clock that stamps the issue time
	 */
	public SaasusTokenConverter(Clock clock) {
		this(clock, DEFAULT_LIFETIME, SaasusBearerToken.ACCESS_TOKEN);
	}

	/**
	 * Create a converter.
	 * @param clock the clock that stamps the issue time
	 * @param defaultLifetime the lifetime of a token whose expiry cannot be read
	 * @param bearerToken which token becomes the value
	 */
	public SaasusTokenConverter(Clock clock, Duration defaultLifetime, SaasusBearerToken bearerToken) {
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(defaultLifetime, "defaultLifetime must not be null");
		Assert.isTrue(!defaultLifetime.isNegative() && !defaultLifetime.isZero(), "defaultLifetime must be positive");
		Assert.notNull(bearerToken, "bearerToken must not be null");
		this.clock = clock;
		this.defaultLifetime = defaultLifetime;
		this.bearerToken = bearerToken;
	}

	/**
	 * Convert the credentials of a user, for example the first ones, from
	 * {@link SaasusClient#getCredentials(String)}, before
	 * {@link io.tokenkit.token.TokenManager#save saving} them.
	 * @param credentials the credentials
	 * @return the token
	 */
	public AccessToken convert(Credentials credentials) {
		return convert(credentials, null);
	}

	/**
	 * Convert refreshed credentials, keeping the previous refresh token when they carry
	 * none.
	 * @param credentials the credentials
	 * @param previousRefreshToken the refresh token to keep, or {@code null}
	 * @return the token
	 */
	public AccessToken convert(Credentials credentials, @Nullable String previousRefreshToken) {
		Assert.notNull(credentials, "credentials must not be null");
		String value = (this.bearerToken == SaasusBearerToken.ID_TOKEN) ? credentials.idToken()
				: credentials.accessToken();
		Instant now = this.clock.instant();
		Instant expiresAt = jwtExpiry(value);
		if (expiresAt == null) {
			expiresAt = now.plus(this.defaultLifetime);
		}
		else if (expiresAt.isBefore(now)) {
			expiresAt = now;
		}
		String refreshToken = (credentials.refreshToken() != null) ? credentials.refreshToken() : previousRefreshToken;
		return AccessToken.withValue(value)
			.issuedAt(now)
			.expiresAt(expiresAt)
			.refreshToken(refreshToken)
			.idToken(credentials.idToken())
			.build();
	}

	/**
	 * Read the {@code exp} claim of a JWT without verifying it.
	 * @param token a token
	 * @return the expiry, or {@code null} when the token is not a JWT with a numeric
	 * {@code exp}
	 */
	static @Nullable Instant jwtExpiry(String token) {
		int first = token.indexOf('.');
		int second = (first >= 0) ? token.indexOf('.', first + 1) : -1;
		if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
			return null;
		}
		try {
			byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
			JsonNode claims = json.readTree(new String(payload, StandardCharsets.UTF_8));
			JsonNode exp = (claims != null && claims.isObject()) ? claims.get("exp") : null;
			if (exp == null || !exp.isNumber()) {
				return null;
			}
			long seconds = exp.asLong();
			return (seconds > 0 && seconds < Instant.MAX.getEpochSecond()) ? Instant.ofEpochSecond(seconds) : null;
		}
		catch (IllegalArgumentException | JacksonException | DateTimeException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "SaasusTokenConverter[bearerToken=" + this.bearerToken + ", defaultLifetime=" + this.defaultLifetime
				+ "]";
	}

}
