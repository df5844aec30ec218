package io.tokenkit.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for {@link TokenRequestObservationContext token
 * requests}. Declare a bean of this type to replace
 * {@link DefaultTokenRequestObservationConvention}.
 */
public interface TokenRequestObservationConvention extends ObservationConvention<TokenRequestObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TokenRequestObservationContext;
	}

}
