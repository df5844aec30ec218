package io.tokenkit.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidTokenKitPropertyException} at start-up: which property, what
 * is wrong, what to do.
 */
class TokenKitFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTokenKitPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTokenKitPropertyException cause) {
		StringBuilder description = new StringBuilder("TokenKit could not start: the property '")
			.append(cause.getProperty())
			.append("'");
		if (cause.getValue() != null) {
			description.append(" with value '").append(cause.getValue()).append("'");
		}
		description.append(" is invalid: ").append(cause.getReason()).append(".");
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
