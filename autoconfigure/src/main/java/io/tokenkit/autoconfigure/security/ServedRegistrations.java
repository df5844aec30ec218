package io.tokenkit.autoconfigure.security;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenManager;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Finds the registrations whose users' tokens TokenKit holds for Spring Security: the
 * {@code authorization_code} registrations under
 * {@code spring.security.oauth2.client.registration} that TokenKit reuses (all of them
 * with {@code tokenkit.spring-security-registrations}, else those with
 * {@code tokenkit.registrations.<id>.from-spring-security}) and whose id the
 * {@link TokenManager} has. Read from the properties, not from the key resolver, so that
 * an application's own resolver or manager bean keeps them served.
 */
final class ServedRegistrations {

	private static final String AUTHORIZATION_CODE = "authorization_code";

	private ServedRegistrations() {
	}

	/**
	 * Return the ids of the registrations served.
	 * @param environment the environment
	 * @param manager the token manager
	 * @return the ids, in the order of Spring Security's properties
	 */
	static List<String> of(Environment environment, TokenManager manager) {
		Binder binder = Binder.get(environment);
		boolean all = binder.bind("tokenkit.spring-security-registrations", Boolean.class).orElse(false);
		Map<String, OnSpringSecurityUserTokensCondition.Reuse> reused = binder
			.bind("tokenkit.registrations",
					Bindable.mapOf(String.class, OnSpringSecurityUserTokensCondition.Reuse.class))
			.orElse(Map.of());
		return binder.bind("spring.security.oauth2.client.registration", Bindable.mapOf(String.class, Grant.class))
			.orElse(Map.of())
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().authorizationCode())
			.map(Map.Entry::getKey)
			.filter((id) -> all || (reused.containsKey(id) && reused.get(id).fromSpringSecurity()))
			.filter(manager::hasRegistration)
			.toList();
	}

	/**
	 * The grant type of one of Spring Security's registrations.
	 *
	 * @param authorizationGrantType the grant type, or {@code null} when not set
	 */
	record Grant(@Nullable String authorizationGrantType) {

		/**
		 * Return whether the registration is an {@code authorization_code} one: said so,
		 * or not said (a provider Spring Security knows, such as Google, whose
		 * registrations are; TokenKit refuses to start on any other without a grant
		 * type).
		 * @return whether it is
		 */
		boolean authorizationCode() {
			return !StringUtils.hasText(this.authorizationGrantType)
					|| AUTHORIZATION_CODE.equalsIgnoreCase(this.authorizationGrantType.strip());
		}

	}

}
