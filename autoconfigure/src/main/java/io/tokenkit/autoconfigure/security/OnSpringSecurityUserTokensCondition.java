package io.tokenkit.autoconfigure.security;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when TokenKit serves Spring Security's registrations
 * ({@code tokenkit.spring-security-registrations}, or
 * {@code tokenkit.registrations.<id>.from-spring-security}), and says in the condition
 * report that an application's own {@code OAuth2AuthorizedClientRepository} bypasses any
 * authorized-client service, TokenKit's too.
 */
class OnSpringSecurityUserTokensCondition extends SpringBootCondition {

	private static final String BYPASS = "an application's own OAuth2AuthorizedClientRepository bean bypasses "
			+ "any OAuth2AuthorizedClientService, TokenKit's too";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage
			.forCondition("TokenKit holds the tokens of Spring " + "Security's login (" + BYPASS + ")");
		Binder binder = Binder.get(context.getEnvironment());
		if (binder.bind("tokenkit.spring-security-registrations", Boolean.class).orElse(false)) {
			return ConditionOutcome.match(message.found("property").items("tokenkit.spring-security-registrations"));
		}
		List<String> reused = binder.bind("tokenkit.registrations", Bindable.mapOf(String.class, Reuse.class))
			.orElse(Map.of())
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().fromSpringSecurity())
			.map((entry) -> "tokenkit.registrations." + entry.getKey() + ".from-spring-security")
			.toList();
		if (!reused.isEmpty()) {
			return ConditionOutcome.match(message.found("property", "properties").items(reused));
		}
		return ConditionOutcome.noMatch(message.didNotFind("property")
			.items("tokenkit.spring-security-registrations", "tokenkit.registrations.<id>.from-spring-security"));
	}

	/**
	 * Whether a TokenKit registration reuses Spring Security's registration of its id.
	 *
	 * @param fromSpringSecurity whether it does
	 */
	record Reuse(boolean fromSpringSecurity) {

	}

}
