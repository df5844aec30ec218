package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.support.Sha256;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenApiException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * A {@link TokenSource} for the {@code refresh_token} grant (RFC 6749 §6).
 * <ul>
 * <li>Per-user tokens: the application saves each user's first token (after the
 * authorization code exchange) with {@link io.tokenkit.token.TokenManager#save}; this
 * source refreshes it with the refresh token that token carries.</li>
 * <li>An application token: a configured refresh token is exchanged for the first access
 * token. Each token of its chain records a fingerprint of it
 * ({@link AccessToken#getOrigin()}), so that a different configured refresh token (pasted
 * by an operator, then a restart) supersedes a chain stored from the one before
 * ({@link #isCurrent}). The manager asks at acquisition: a still valid access token of
 * the old chain is served until it expires or is rejected. A chain stored before
 * fingerprints were recorded counts as current and is stamped with the configured value
 * at its next refresh, so that a value changed in the same restart as that upgrade is not
 * noticed.</li>
 * </ul>
 * A rotated refresh token travels inside the new {@link AccessToken}, which the manager
 * stores in one write, so it replaces the old one atomically; when the response carries
 * no refresh token, the old one is kept. An answer refused (no access token, a token that
 * would not live a second) raises an {@link OAuth2TokenException} that carries the
 * answer's refresh token, which the manager stores for the next refresh.
 * <p>
 * A token is issued when its request is sent, and expires {@code expires_in} later (the
 * default lifetime when the answer has none), never later than the {@code exp} of an
 * access token that is a JWT.
 */
public final class RefreshTokenTokenSource implements TokenSource {

	private final OAuth2TokenClient client;

	private final String scope;

	private final AtomicReference<@Nullable String> applicationRefreshToken;

	/** The fingerprint of the configured application refresh token, or {@code null}. */
	private final @Nullable String applicationOrigin;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	private final @Nullable OAuth2TokenRevoker revoker;

	/**
	 * Create a source with the {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param client the token endpoint client
	 * @param scopes the scopes to ask for on refresh, none to keep the granted ones
	 * @param applicationRefreshToken the refresh token of the application token, or
	 * {@code null} for a registration that holds per-user tokens only
	 * @param clock the clock that stamps the issue time
	 */
	public RefreshTokenTokenSource(OAuth2TokenClient client, Collection<String> scopes,
			@Nullable String applicationRefreshToken, Clock clock) {
		this(client, scopes, applicationRefreshToken, clock, TokenLifetimes.DEFAULT);
	}

	/**
	 * Create a source.
	 * @param client the token endpoint client
	 * @param scopes the scopes to ask for on refresh, none to keep the granted ones
	 * @param applicationRefreshToken the refresh token of the application token, or
	 * {@code null} for a registration that holds per-user tokens only
	 * @param clock the clock read when a request is sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any
	 */
	public RefreshTokenTokenSource(OAuth2TokenClient client, Collection<String> scopes,
			@Nullable String applicationRefreshToken, Clock clock, TokenLifetimes lifetimes) {
		this(client, scopes, applicationRefreshToken, clock, lifetimes, null);
	}

	/**
	 * Create a source that revokes the per-user tokens the manager removes.
	 * @param client the token endpoint client
	 * @param scopes the scopes to ask for on refresh, none to keep the granted ones
	 * @param applicationRefreshToken the refresh token of the application token, or
	 * {@code null} for a registration that holds per-user tokens only
	 * @param clock the clock read when a request is sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any
	 * @param revoker revokes a per-user token removed from the manager ({@link #revoke}),
	 * or {@code null} to revoke none
	 */
	public RefreshTokenTokenSource(OAuth2TokenClient client, Collection<String> scopes,
			@Nullable String applicationRefreshToken, Clock clock, TokenLifetimes lifetimes,
			@Nullable OAuth2TokenRevoker revoker) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(scopes, "scopes must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		this.client = client;
		this.scope = String.join(" ", scopes);
		this.applicationRefreshToken = new AtomicReference<>(applicationRefreshToken);
		this.applicationOrigin = (applicationRefreshToken != null) ? fingerprint(applicationRefreshToken) : null;
		this.clock = clock;
		this.lifetimes = lifetimes;
		this.revoker = revoker;
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		String refreshToken = (key.subject() == null) ? this.applicationRefreshToken.get() : null;
		if (refreshToken == null) {
			return Mono.error(new TokenAcquisitionException(key.registrationId(),
					"Registration '" + key.registrationId() + "' has no token to refresh" + ((key.subject() != null)
							? " for this subject: complete the user's authorization and save the token with TokenManager.save first"
							: ": set tokenkit.registrations." + key.registrationId()
									+ ".refresh-token, or pass a subject for per-user tokens")));
		}
		return exchange(key, refreshToken, null);
	}

	@Override
	public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		String refreshToken = current.getRefreshToken();
		if (refreshToken == null) {
			return obtain(key);
		}
		return exchange(key, refreshToken, current);
	}

	private Mono<AccessToken> exchange(TokenKey key, String refreshToken, @Nullable AccessToken current) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "refresh_token");
		form.set("refresh_token", refreshToken);
		if (!this.scope.isEmpty()) {
			form.set("scope", this.scope);
		}
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.client.request("refresh", form).map((response) -> {
				AccessToken token = this.client
					.bind(response.toAccessToken(key.registrationId(), sentAt, this.lifetimes, refreshToken,
							(current != null) ? current.getScopes() : Collections.emptySet()));
				rotated(key, refreshToken, token.getRefreshToken());
				return (key.subject() == null && this.applicationOrigin != null)
						? token.mutate().origin(this.applicationOrigin).build() : token;
			}).doOnError((error) -> refused(key, refreshToken, error));
		});
	}

	/**
	 * Revoke a per-user token the manager removed (a user who disconnects), with the
	 * revoker this source was given: its refresh token, and its access token when the
	 * revoker is asked to. An application token (a key without a subject) is not revoked:
	 * its chain starts from the configured refresh token, which must keep working.
	 * @param key the key the token was removed from
	 * @param removed the token removed
	 * @return whether a revocation was sent and accepted
	 */
	@Override
	public Mono<Boolean> revoke(TokenKey key, AccessToken removed) {
		OAuth2TokenRevoker revoker = this.revoker;
		return (revoker != null && key.subject() != null) ? revoker.revoke(removed) : Mono.just(false);
	}

	/**
	 * Return the revoker of removed per-user tokens.
	 * @return the revoker, or {@code null} when this source revokes none
	 */
	public @Nullable OAuth2TokenRevoker getRevoker() {
		return this.revoker;
	}

	/**
	 * Return whether a stored token was acquired from the application refresh token this
	 * source is configured with: a token whose chain began with another one (an operator
	 * replaced the configured refresh token and restarted) is not, so that the manager
	 * obtains a new token from the configured one instead of refreshing the old chain.
	 * The manager asks when it acquires, not when it serves a cached token: an access
	 * token of the old chain that is still valid is served until it expires or is
	 * rejected. A token that records no origin (stored before origins were recorded), and
	 * every per-user token, is current; the next refresh of such a token records the
	 * configured value, so that a value changed together with that upgrade is not
	 * noticed.
	 * @param key the registration and optional subject
	 * @param stored the token stored for the key
	 * @return whether the token belongs to the configured refresh token
	 */
	@Override
	public boolean isCurrent(TokenKey key, AccessToken stored) {
		String origin = stored.getOrigin();
		return key.subject() != null || this.applicationOrigin == null || origin == null
				|| origin.equals(this.applicationOrigin);
	}

	/**
	 * Return the fingerprint of the configured application refresh token for the
	 * application key, the one every token of its chain records.
	 * @param key the registration and optional subject
	 * @return the fingerprint, or {@code null} for a per-user key or when no refresh
	 * token is configured
	 */
	@Override
	public @Nullable String originOf(TokenKey key) {
		return (key.subject() == null) ? this.applicationOrigin : null;
	}

	/**
	 * A fingerprint of a refresh token, kept with the tokens of its chain: its SHA-256,
	 * from which the refresh token cannot be recovered.
	 */
	private static String fingerprint(String refreshToken) {
		return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(refreshToken));
	}

	/**
	 * A refused answer: remember the refresh token it carries, unless it is the one sent
	 * (a server that does not rotate echoes it), which then is carried no more.
	 */
	private void refused(TokenKey key, String sent, Throwable error) {
		String carried = TokenApiException.rotatedRefreshTokenOf(error);
		if (!sent.equals(carried)) {
			rotated(key, sent, carried);
			return;
		}
		TokenApiException.forgetRotatedRefreshTokens(error);
	}

	/**
	 * Remember the application's rotated refresh token, also one that a refused answer
	 * carried: the server has already replaced the one sent with it.
	 */
	private void rotated(TokenKey key, String sent, @Nullable String rotated) {
		if (key.subject() == null && rotated != null) {
			this.applicationRefreshToken.compareAndSet(sent, rotated);
		}
	}

	@Override
	public TokenSourceReadiness checkReadiness() {
		return this.client.checkReadiness();
	}

}
