package io.tokenkit.aozora;

import java.time.Clock;
import java.time.Instant;

import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenSource;

import org.springframework.util.Assert;

/**
 * A {@link TokenSource} of per-user (per bank customer) tokens: the application saves
 * each customer's first token with {@link io.tokenkit.token.TokenManager#save} after the
 * authorization-code exchange, and this source refreshes it at the bank's token endpoint
 * ({@code POST /token}, {@code grant_type=refresh_token}). A rotated refresh token
 * replaces the old one; when the bank sends none, the old one is kept.
 * <p>
 * The bank's resource APIs take the token in {@code x-access-token}: set the
 * registration's {@code header-name: x-access-token} and {@code header-format:
 * "{token}"}.
 * <p>
 * A token is issued when its refresh request is sent, and expires {@code expires_in}
 * later (the default lifetime when the answer has none), never later than the {@code exp}
 * of an access token that is a JWT. A token the bank's answer does not make (no
 * {@code access_token}, a broken {@code expires_in}) is a
 * {@link GmoAozoraTokenException}.
 * <p>
 * With a client {@link GmoAozoraTokenClient#withDpop with DPoP}, each refresh carries a
 * new proof and the new token records the key's thumbprint; the registration's requests
 * send it with the proofs of the same key ({@code dpop: true}).
 */
public final class GmoAozoraTokenSource implements TokenSource {

	private final GmoAozoraTokenClient client;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	/**
	 * Create a source with the {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param client the token endpoint client, ideally
	 * {@link GmoAozoraTokenClient#forRegistration named} after the registration
	 * @param clock the clock that stamps the issue time
	 */
	public GmoAozoraTokenSource(GmoAozoraTokenClient client, Clock clock) {
		this(client, clock, TokenLifetimes.DEFAULT);
	}

	/**
	 * Create a source.
	 * @param client the token endpoint client, ideally
	 * {@link GmoAozoraTokenClient#forRegistration named} after the registration
	 * @param clock the clock read when a request is sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any (TokenKit's own lifetimes set none: the bank's
	 * 30-day tokens keep their 30 days)
	 */
	public GmoAozoraTokenSource(GmoAozoraTokenClient client, Clock clock, TokenLifetimes lifetimes) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		this.client = client;
		this.clock = clock;
		this.lifetimes = lifetimes;
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		return Mono.error(new TokenAcquisitionException(key.registrationId(), "Registration '" + key.registrationId()
				+ "' has no GMO Aozora token " + ((key.subject() != null) ? "for this subject" : "without a subject")
				+ ": send the customer through the authorization flow (GmoAozoraClient) and save the first token with"
				+ " TokenManager.save; each request must name its subject (BearerTokenExchangeFilterFunction.subject)"));
	}

	@Override
	public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		String refreshToken = current.getRefreshToken();
		if (refreshToken == null) {
			return obtain(key);
		}
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.client.refresh(refreshToken)
				.map((response) -> this.client
					.bind(response.toAccessToken(key.registrationId(), sentAt, this.lifetimes, current)))
				.onErrorMap(
						(error) -> error instanceof OAuth2TokenException && !(error instanceof GmoAozoraTokenException),
						(error) -> new GmoAozoraTokenException((OAuth2TokenException) error));
		});
	}

}
