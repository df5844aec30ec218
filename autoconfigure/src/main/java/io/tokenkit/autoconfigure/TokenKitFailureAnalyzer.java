package io.tokenkit.autoconfigure;

import io.tokenkit.registration.InvalidTokenKitPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidTokenKitPropertyException} at start-up: which property, what
 * is wrong, what to do.
 */
public class TokenKitFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTokenKitPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTokenKitPropertyException cause) {
		// an annotation, such as @TokenKitRegistration on an interface, is named as such
		String subject = cause.getProperty().startsWith("@") ? "the annotation '" : "the property '";
		StringBuilder description = new StringBuilder("TokenKit could not start: ").append(subject)
			.append(cause.getProperty())
			.append("'");
		if (cause.getValue() != null) {
			description.append(" with value '").append(cause.getValue()).append("'");
		}
		description.append(" is invalid: ").append(cause.getReason()).append(".");
		return new FailureAnalysis(description.toString(), cause.getAction(), cause);
	}

}
