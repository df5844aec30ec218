package io.tokenkit.observation;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenApiException;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Wraps each call to a token or credential endpoint in a {@code tokenkit.token.requests}
 * {@link Observation}. Every TokenKit client and token source goes through one of these.
 */
public final class TokenRequestObserver {

	/** An observer that records nothing. */
	public static final TokenRequestObserver NOOP = new TokenRequestObserver(ObservationRegistry.NOOP, null);

	private final ObservationRegistry registry;

	private final @Nullable TokenRequestObservationConvention convention;

	/**
	 * Create an observer.
	 * @param registry the observation registry
	 * @param convention a custom convention, or {@code null} for the default
	 */
	public TokenRequestObserver(ObservationRegistry registry, @Nullable TokenRequestObservationConvention convention) {
		Assert.notNull(registry, "registry must not be null");
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * Observe one call. The call receives the context and should
	 * {@link TokenRequestObservationContext#setStatus(int) record} the HTTP status it
	 * got; a {@link TokenApiException} or {@link WebClientResponseException} that ends
	 * the call records its status too.
	 * @param <T> the result type
	 * @param client the client name ({@code oauth2}, {@code saasus}, {@code gmo-aozora},
	 * {@code authlete})
	 * @param registrationId the registration, or {@code null}
	 * @param operation the operation name
	 * @param call the call
	 * @return the observed call
	 */
	public <T> Mono<T> observe(String client, @Nullable String registrationId, String operation,
			Function<TokenRequestObservationContext, Mono<T>> call) {
		return Mono.deferContextual((reactorContext) -> {
			TokenRequestObservationContext context = new TokenRequestObservationContext(client, registrationId,
					operation);
			Observation observation = TokenKitObservationDocumentation.TOKEN_REQUEST.observation(this.convention,
					DefaultTokenRequestObservationConvention.INSTANCE, () -> context, this.registry);
			Observation parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			if (parent != null) {
				observation.parentObservation(parent);
			}
			observation.start();
			// Stop before the signal travels on, so a caller that sees the result also
			// sees the observation.
			return call.apply(context).doOnSuccess((result) -> observation.stop()).doOnError((error) -> {
				if (context.getStatus() == 0) {
					context.setStatus(statusOf(error));
				}
				observation.error(error);
				observation.stop();
			}).doOnCancel(() -> {
				observation.event(Observation.Event.of("cancelled"));
				observation.stop();
			}).contextWrite((c) -> c.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private static int statusOf(Throwable error) {
		if (error instanceof TokenApiException apiException) {
			return apiException.getStatusCode();
		}
		if (error instanceof WebClientResponseException responseException) {
			return responseException.getStatusCode().value();
		}
		return 0;
	}

}
