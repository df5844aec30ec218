package io.tokenkit.saasus;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenSource;

import org.springframework.util.Assert;

/**
 * The {@link TokenSource} of {@code grant-type: saasus} registrations: per-user SaaSus
 * tokens, refreshed with
 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}.
 * <p>
 * SaaSus issues a user's first tokens at sign-in, so there is nothing to obtain: the
 * application exchanges the temporary code of the SaaSus callback with
 * {@link SaasusClient#getCredentials(String)}, converts the answer with
 * {@link SaasusTokenConverter#convert(Credentials)} and saves it with
 * {@code TokenManager.save(TokenKey.of(registration, subject), token)}. From then on this
 * source refreshes it; when the answer omits {@code refresh_token}, the previous refresh
 * token is kept. Which token the bearer filter sends and how the expiry is found is the
 * {@link SaasusTokenConverter}'s decision; the issue time is when the refresh request is
 * sent, and refreshed credentials whose token would not live a second are a
 * {@link SaasusApiException}, not a token, which carries the answer's refresh token for
 * the manager to keep
 * ({@link io.tokenkit.token.TokenApiException#rotatedRefreshTokenOf(Throwable)}).
 */
public final class SaasusTokenSource implements TokenSource {

	private final SaasusClient client;

	private final SaasusTokenConverter converter;

	/**
	 * Create a source.
	 * @param client the SaaSus client
	 * @param converter turns answers into tokens
	 */
	public SaasusTokenSource(SaasusClient client, SaasusTokenConverter converter) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(converter, "converter must not be null");
		this.client = client;
		this.converter = converter;
	}

	/**
	 * Fail: SaaSus tokens can only be refreshed from a token the application saved.
	 * @param key the registration and subject
	 * @return an error signal with a {@link TokenAcquisitionException}
	 */
	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		String registrationId = key.registrationId();
		if (key.subject() == null) {
			return Mono.error(new TokenAcquisitionException(registrationId,
					"Registration '" + registrationId
							+ "' holds per-user SaaSus tokens: pass a subject, for example with "
							+ "BearerTokenExchangeFilterFunction.subject(...)"));
		}
		return Mono.error(new TokenAcquisitionException(registrationId, "Registration '" + registrationId
				+ "' has no SaaSus token for this subject: exchange the user's temporary code with "
				+ "SaasusClient.getCredentials, convert it with SaasusTokenConverter and save it with TokenManager.save first"));
	}

	/**
	 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…} with the
	 * current token's refresh token.
	 * @param key the registration and subject
	 * @param current the token to replace
	 * @return the new token
	 */
	@Override
	public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		String refreshToken = current.getRefreshToken();
		if (refreshToken == null) {
			return Mono.error(new TokenAcquisitionException(key.registrationId(),
					"Registration '" + key.registrationId()
							+ "' has a SaaSus token without refresh token for this subject: "
							+ "the user must sign in again"));
		}
		return Mono.defer(() -> {
			Instant sentAt = this.converter.now();
			return this.client.refreshCredentials(refreshToken, key.registrationId(), SaasusRequestHeaders.NONE)
				.map((credentials) -> checkLifetime(this.converter.convert(credentials, refreshToken, sentAt), sentAt,
						credentials.refreshToken()));
		});
	}

	/**
	 * Refuse a token that would not live a second: cached, it would be refreshed again at
	 * once by every request. The refusal carries the answer's refresh token, which SaaSus
	 * may have rotated to.
	 */
	private static AccessToken checkLifetime(AccessToken token, Instant sentAt, @Nullable String answeredRefreshToken) {
		if (token.getExpiresAtMillis() - sentAt.toEpochMilli() < 1000) {
			throw new SaasusApiException(
					"SaaSus " + SaasusClient.REFRESH + " answered a token whose exp (" + token.getExpiresAt()
							+ ") is less than a second after the request was sent (" + sentAt
							+ "); a token must live at least one second: check the clocks of SaaSus and of this host",
					200, SaasusClient.REFRESH, null, null, Map.of(), null, null)
				.carryingRefreshToken(answeredRefreshToken);
		}
		return token;
	}

}
