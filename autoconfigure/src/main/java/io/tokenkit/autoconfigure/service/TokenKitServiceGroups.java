package io.tokenkit.autoconfigure.service;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.tokenkit.autoconfigure.TokenKitClients;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.service.HttpServiceRegistrationResolver;
import io.tokenkit.service.HttpServiceRegistrationResolver.Declaration;
import io.tokenkit.service.RegistrationAttributeProcessor;
import io.tokenkit.token.TokenManager;

import org.springframework.util.ClassUtils;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Adds TokenKit's tokens to the clients of Spring HTTP service groups: checks each
 * {@code tokenkit.service-groups.<group>.registration} and each annotated interface and
 * method of a group against the registrations TokenKit serves, and gives each group that
 * has a registration a {@link RegistrationAttributeProcessor} and the TokenKit
 * interceptor or filter that reads its attribute. A group without a registration is left
 * as it is.
 */
final class TokenKitServiceGroups {

	private final TokenManager manager;

	private final HttpServiceRegistrationResolver resolver;

	private final Map<String, String> registrations = new LinkedHashMap<>();

	TokenKitServiceGroups(TokenKitProperties properties, TokenManager manager) {
		this.manager = manager;
		this.resolver = new HttpServiceRegistrationResolver(manager::hasRegistration);
		properties.getServiceGroups().forEach((group, serviceGroup) -> {
			String registrationId = serviceGroup.getRegistration();
			if (registrationId != null) {
				TokenKitClients.known(manager, "tokenkit.service-groups." + group + ".registration", registrationId,
						"Set it to a registration id, or remove it.");
				this.registrations.put(group, registrationId);
			}
		});
	}

	/**
	 * Configure every group that has a registration.
	 * @param groups the groups
	 * @param addToken adds the TokenKit interceptor or filter to a group's client builder
	 */
	<CB> void configure(HttpServiceGroupConfigurer.Groups<CB> groups, Consumer<CB> addToken) {
		groups.forEachGroup((group, clientBuilder, proxyFactoryBuilder) -> {
			String groupRegistration = this.registrations.get(group.name());
			if (hasRegistration(group, groupRegistration)) {
				proxyFactoryBuilder
					.httpRequestValuesProcessor(new RegistrationAttributeProcessor(this.resolver, groupRegistration));
				addToken.accept(clientBuilder);
			}
		});
	}

	private boolean hasRegistration(HttpServiceGroup group, @Nullable String groupRegistration) {
		boolean found = groupRegistration != null;
		for (Class<?> type : group.httpServiceTypes()) {
			check(type, ClassUtils.getQualifiedName(type));
			for (Method method : type.getMethods()) {
				check(method, ClassUtils.getQualifiedMethodName(method) + "()");
				String registrationId = this.resolver.resolve(method, groupRegistration);
				found |= registrationId != null;
				checkParameters(method, registrationId);
			}
		}
		return found;
	}

	/**
	 * A method whose annotation asks for scopes, audiences or resources must name a
	 * registration whose grant serves them: found at start-up, not on the first request.
	 */
	private void checkParameters(Method method, @Nullable String registrationId) {
		if (registrationId == null || this.resolver.parameters(method).isEmpty()
				|| this.manager.getRegistration(registrationId).source().supportsParameters()) {
			return;
		}
		throw new InvalidTokenKitPropertyException("@TokenKitRegistration on " + ClassUtils
			.getQualifiedMethodName(method) + "()", registrationId, "registration '" + registrationId
					+ "' cannot serve per-call scopes, audiences or resources: its grant keeps one token per subject",
				"Remove scopes, audiences and resources from the annotation, or name a client_credentials, "
						+ "token-exchange or jwt-bearer registration.");
	}

	private void check(AnnotatedElement element, String description) {
		Declaration declaration = HttpServiceRegistrationResolver.declaration(element);
		if (declaration != null && declaration.isTokenKit()) {
			TokenKitClients.known(this.manager,
					"@" + ClassUtils.getShortName(declaration.annotation()) + " on " + description,
					declaration.registrationId(), "Name a registration in the annotation.");
		}
	}

}
