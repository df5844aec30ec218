package io.tokenkit.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import io.tokenkit.observation.TokenKitObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default {@link TokenRequestObservationConvention}: name {@value #DEFAULT_NAME}, one
 * overridable method per key.
 */
public class DefaultTokenRequestObservationConvention implements TokenRequestObservationConvention {

	/** The default observation name, and so the timer's name. */
	public static final String DEFAULT_NAME = "tokenkit.token.requests";

	/** A shared instance. */
	public static final DefaultTokenRequestObservationConvention INSTANCE = new DefaultTokenRequestObservationConvention();

	private static final String NONE = "none";

	@Override
	public String getName() {
		return DEFAULT_NAME;
	}

	@Override
	public String getContextualName(TokenRequestObservationContext context) {
		return "tokenkit " + context.getClient() + " " + context.getOperation();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TokenRequestObservationContext context) {
		return KeyValues.of(client(context), registration(context), operation(context), grantType(context),
				outcome(context), status(context), exception(context));
	}

	protected KeyValue client(TokenRequestObservationContext context) {
		return LowCardinalityKeyNames.CLIENT.withValue(context.getClient());
	}

	protected KeyValue registration(TokenRequestObservationContext context) {
		String id = context.getRegistrationId();
		return LowCardinalityKeyNames.REGISTRATION.withValue((id != null) ? id : NONE);
	}

	protected KeyValue operation(TokenRequestObservationContext context) {
		return LowCardinalityKeyNames.OPERATION.withValue(context.getOperation());
	}

	protected KeyValue grantType(TokenRequestObservationContext context) {
		String grantType = context.getGrantType();
		return LowCardinalityKeyNames.GRANT_TYPE.withValue((grantType != null) ? grantType : NONE);
	}

	protected KeyValue outcome(TokenRequestObservationContext context) {
		int status = context.getStatus();
		String outcome;
		if (status >= 100 && status < 200) {
			outcome = "INFORMATIONAL";
		}
		else if (status >= 200 && status < 300) {
			outcome = "SUCCESS";
		}
		else if (status >= 300 && status < 400) {
			outcome = "REDIRECTION";
		}
		else if (status >= 400 && status < 500) {
			outcome = "CLIENT_ERROR";
		}
		else if (status >= 500 && status < 600) {
			outcome = "SERVER_ERROR";
		}
		else {
			outcome = "UNKNOWN";
		}
		return LowCardinalityKeyNames.OUTCOME.withValue(outcome);
	}

	protected KeyValue status(TokenRequestObservationContext context) {
		int status = context.getStatus();
		return LowCardinalityKeyNames.STATUS.withValue((status > 0) ? Integer.toString(status) : NONE);
	}

	protected KeyValue exception(TokenRequestObservationContext context) {
		Throwable error = context.getError();
		return LowCardinalityKeyNames.EXCEPTION.withValue((error != null) ? error.getClass().getSimpleName() : NONE);
	}

}
