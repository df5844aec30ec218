package io.tokenkit.sample.observability;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;

import org.springframework.stereotype.Component;

/**
 * Remembers, per registration, the outcome of the last token acquisition or refresh and
 * the expiry of the last token obtained, for the {@code tokenkit} health contributor.
 * Keeps no token and no subject.
 */
@Component
public class TokenActivity implements TokenEventListener {

	private final Map<String, Last> last = new ConcurrentHashMap<>();

	@Override
	public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
		this.last.put(key.registrationId(), new Last(true, refresh, Instant.now(), token.getExpiresAt(), null));
	}

	/**
	 * A token the application saved (a customer's first token after the authorization
	 * code exchange) counts as a successful acquisition.
	 */
	@Override
	public void tokenSaved(TokenKey key, AccessToken token) {
		this.last.put(key.registrationId(), new Last(true, false, Instant.now(), token.getExpiresAt(), null));
	}

	@Override
	public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
		Last previous = this.last.get(key.registrationId());
		this.last.put(key.registrationId(), new Last(false, refresh, Instant.now(),
				(previous != null) ? previous.expiresAt() : null, error.getClass().getSimpleName()));
	}

	/**
	 * Return the last acquisition of a registration.
	 * @param registrationId the registration
	 * @return the last acquisition, or {@code null} when there was none yet
	 */
	public @Nullable Last last(String registrationId) {
		return this.last.get(registrationId);
	}

	/**
	 * The last acquisition of a registration.
	 *
	 * @param success whether it gave a token
	 * @param refresh whether it replaced an earlier token
	 * @param at when it finished
	 * @param expiresAt the expiry of the last token obtained, or {@code null}
	 * @param errorType the simple class name of the failure, or {@code null}
	 */
	public record Last(boolean success, boolean refresh, Instant at, @Nullable Instant expiresAt,
			@Nullable String errorType) {
	}

}
