package io.tokenkit.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when a property has text, so that an empty placeholder such as
 * {@code ${VENDOR_ID:}} leaves a feature off; the condition report names the property
 * either way. Each vendor auto-configuration subclasses it with the property that
 * identifies the vendor.
 */
public abstract class OnPropertyTextCondition extends SpringBootCondition {

	private final String feature;

	private final String property;

	/**
	 * Create a condition.
	 * @param feature what the property switches on, for the condition report
	 * @param property the full property name
	 */
	protected OnPropertyTextCondition(String feature, String property) {
		this.feature = feature;
		this.property = property;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(this.feature);
		if (StringUtils.hasText(context.getEnvironment().getProperty(this.property))) {
			return ConditionOutcome.match(message.found("property with text").items(this.property));
		}
		return ConditionOutcome.noMatch(message.didNotFind("property with text").items(this.property));
	}

}
