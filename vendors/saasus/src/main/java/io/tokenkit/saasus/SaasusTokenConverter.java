package io.tokenkit.saasus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.JwtExpiry;
import io.tokenkit.token.TokenLifetimes;

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
 * lifetime from the issue time. The {@code exp} is kept however far ahead it lies (the
 * token manager stores the token with {@code tokenkit.token-lifetime.max} at most, when
 * set). An {@code exp} in the past gives a token that is already expired.</li>
 * <li><strong>Issue time</strong>: when the request for the credentials was sent, or
 * now.</li>
 * </ul>
 */
public final class SaasusTokenConverter {

	/**
	 * The lifetime assumed for a token whose expiry cannot be read: one hour, as SaaSus'
	 * Cognito tokens.
	 */
	public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	private final SaasusBearerToken bearerToken;

	/**
	 * Create a converter that sends the access token, with the
	 * {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param clock the clock that stamps the issue time
	 */
	public SaasusTokenConverter(Clock clock) {
		this(clock, TokenLifetimes.DEFAULT, SaasusBearerToken.ACCESS_TOKEN);
	}

	/**
	 * Create a converter that keeps every {@code exp}.
	 * @param clock the clock that stamps the issue time
	 * @param defaultLifetime the lifetime of a token whose expiry cannot be read
	 * @param bearerToken which token becomes the value
	 */
	public SaasusTokenConverter(Clock clock, Duration defaultLifetime, SaasusBearerToken bearerToken) {
		this(clock, lifetimes(defaultLifetime), bearerToken);
	}

	/**
	 * Create a converter.
	 * @param clock the clock that stamps the issue time
	 * @param lifetimes the lifetime of a token whose expiry cannot be read, and the
	 * longest one believed, if any
	 * @param bearerToken which token becomes the value
	 */
	public SaasusTokenConverter(Clock clock, TokenLifetimes lifetimes, SaasusBearerToken bearerToken) {
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		Assert.notNull(bearerToken, "bearerToken must not be null");
		this.clock = clock;
		this.lifetimes = lifetimes;
		this.bearerToken = bearerToken;
	}

	private static TokenLifetimes lifetimes(Duration defaultLifetime) {
		Assert.notNull(defaultLifetime, "defaultLifetime must not be null");
		Assert.isTrue(!defaultLifetime.isNegative() && !defaultLifetime.isZero(), "defaultLifetime must be positive");
		return new TokenLifetimes(defaultLifetime);
	}

	/**
	 * Convert the credentials of a user, for example the first ones, from
	 * {@link SaasusClient#getCredentials(String)}, before
	 * {@link io.tokenkit.token.TokenManager#save saving} them, as issued now.
	 * @param credentials the credentials
	 * @return the token
	 */
	public AccessToken convert(Credentials credentials) {
		return convert(credentials, null);
	}

	/**
	 * Convert refreshed credentials, as issued now, keeping the previous refresh token
	 * when they carry none.
	 * @param credentials the credentials
	 * @param previousRefreshToken the refresh token to keep, or {@code null}
	 * @return the token
	 */
	public AccessToken convert(Credentials credentials, @Nullable String previousRefreshToken) {
		return convert(credentials, previousRefreshToken, this.clock.instant());
	}

	/**
	 * Convert credentials that answered a request sent at {@code sentAt}, keeping the
	 * previous refresh token when they carry none.
	 * @param credentials the credentials
	 * @param previousRefreshToken the refresh token to keep, or {@code null}
	 * @param sentAt when the request was sent: the issue time, from which the lifetime
	 * counts
	 * @return the token, already expired when its {@code exp} is not after {@code sentAt}
	 */
	public AccessToken convert(Credentials credentials, @Nullable String previousRefreshToken, Instant sentAt) {
		Assert.notNull(credentials, "credentials must not be null");
		Assert.notNull(sentAt, "sentAt must not be null");
		String value = (this.bearerToken == SaasusBearerToken.ID_TOKEN) ? credentials.idToken()
				: credentials.accessToken();
		Instant exp = JwtExpiry.read(value);
		Instant expiresAt;
		if (exp == null) {
			expiresAt = this.lifetimes.expiresAt(sentAt, null, value);
		}
		else if (exp.isAfter(sentAt)) {
			expiresAt = this.lifetimes.expiresAt(sentAt, Duration.between(sentAt, exp), value);
		}
		else {
			expiresAt = sentAt;
		}
		String refreshToken = (credentials.refreshToken() != null) ? credentials.refreshToken() : previousRefreshToken;
		return AccessToken.withValue(value)
			.issuedAt(sentAt)
			.expiresAt(expiresAt)
			.refreshToken(refreshToken)
			.idToken(credentials.idToken())
			.build();
	}

	/**
	 * Return the time now, by the clock of this converter: the time a request is sent.
	 * @return the current time
	 */
	Instant now() {
		return this.clock.instant();
	}

	@Override
	public String toString() {
		Duration max = this.lifetimes.max();
		return "SaasusTokenConverter[bearerToken=" + this.bearerToken + ", defaultLifetime="
				+ this.lifetimes.defaultLifetime() + ((max != null) ? ", maxLifetime=" + max : "") + "]";
	}

}
