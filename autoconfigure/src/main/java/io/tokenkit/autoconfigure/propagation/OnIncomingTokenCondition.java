package io.tokenkit.autoconfigure.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tokenkit.registration.RegistrationDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when TokenKit reads the incoming request's bearer token: a
 * {@code tokenkit.clients.<name>.propagation}, a {@code tokenkit.registrations.<id>} of
 * grant type token-exchange, or a Spring Security registration TokenKit serves whose
 * grant type is token exchange or JWT bearer (which asserts with the incoming JWT); the
 * condition report names the properties.
 */
class OnIncomingTokenCondition extends SpringBootCondition {

	private static final String GRANT_TYPE_PREFIX = "urn:ietf:params:oauth:grant-type:";

	private static final String SPRING_SECURITY_REGISTRATION = "spring.security.oauth2.client.registration";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("TokenKit reads the incoming bearer token");
		Binder binder = Binder.get(context.getEnvironment());
		List<String> found = new ArrayList<>();
		binder.bind("tokenkit.clients", Bindable.mapOf(String.class, Client.class))
			.orElse(Map.of())
			.forEach((name, client) -> {
				if (client.propagation() != null) {
					found.add("tokenkit.clients." + name + ".propagation");
				}
			});
		Map<String, Registration> registrations = binder
			.bind("tokenkit.registrations", Bindable.mapOf(String.class, Registration.class))
			.orElse(Map.of());
		registrations.forEach((id, registration) -> {
			if (is(registration.grantType(), "token-exchange")) {
				found.add("tokenkit.registrations." + id + ".grant-type");
			}
		});
		boolean all = binder.bind("tokenkit.spring-security-registrations", Boolean.class).orElse(false);
		binder.bind(SPRING_SECURITY_REGISTRATION, Bindable.mapOf(String.class, SpringSecurityGrant.class))
			.orElse(Map.of())
			.forEach((id, grant) -> {
				boolean served = all || (registrations.containsKey(id) && registrations.get(id).fromSpringSecurity());
				String grantType = grant.authorizationGrantType();
				if (served && (is(grantType, "token-exchange") || is(grantType, "jwt-bearer"))) {
					found.add(SPRING_SECURITY_REGISTRATION + "." + id + ".authorization-grant-type");
				}
			});
		if (!found.isEmpty()) {
			return ConditionOutcome.match(message.found("property", "properties").items(found));
		}
		return ConditionOutcome.noMatch(message.didNotFind("property")
			.items("tokenkit.clients.<name>.propagation", "tokenkit.registrations.<id>.grant-type=token-exchange"));
	}

	/**
	 * Return whether a grant type is the one of a short name, by that name or its URN,
	 * compared as the registrations compare grant types
	 * ({@link RegistrationDefinition#sameGrantType}), so that every spelling the token
	 * source factories serve matches here too.
	 */
	private static boolean is(@Nullable String grantType, String shortName) {
		return RegistrationDefinition.sameGrantType(grantType, shortName)
				|| RegistrationDefinition.sameGrantType(grantType, GRANT_TYPE_PREFIX + shortName);
	}

	/**
	 * The propagation of a {@code tokenkit.clients} entry.
	 *
	 * @param propagation the propagation, or {@code null} when not set
	 */
	record Client(@Nullable String propagation) {

	}

	/**
	 * What a {@code tokenkit.registrations} entry says of its grant.
	 *
	 * @param grantType the grant type, or {@code null} when not set
	 * @param fromSpringSecurity whether it reuses Spring Security's registration of its
	 * id
	 */
	record Registration(@Nullable String grantType, boolean fromSpringSecurity) {

	}

	/**
	 * The grant type of one of Spring Security's registrations.
	 *
	 * @param authorizationGrantType the grant type, or {@code null} when not set
	 */
	record SpringSecurityGrant(@Nullable String authorizationGrantType) {

	}

}
