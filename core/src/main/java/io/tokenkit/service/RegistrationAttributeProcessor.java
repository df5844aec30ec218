package io.tokenkit.service;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.core.MethodParameter;
import org.springframework.util.Assert;
import org.springframework.web.service.invoker.HttpRequestValues;

/**
 * An {@link HttpRequestValues.Processor} of one HTTP service group that puts into each
 * request the {@link TokenRequestAttributes#REGISTRATION} attribute naming the
 * registration the {@link HttpServiceRegistrationResolver} chooses for its method, for
 * the group client's TokenKit interceptor or filter to read. A method without a
 * registration gets no attribute, and its requests no TokenKit token.
 */
public final class RegistrationAttributeProcessor implements HttpRequestValues.Processor {

	private static final Target NONE = new Target(null, TokenParameters.NONE);

	private final HttpServiceRegistrationResolver resolver;

	private final @Nullable String groupRegistration;

	private final Map<Method, Target> targets = new ConcurrentHashMap<>();

	/**
	 * Create a processor.
	 * @param resolver chooses each method's registration
	 * @param groupRegistration the registration of the service group, or {@code null}
	 * when it has none
	 */
	public RegistrationAttributeProcessor(HttpServiceRegistrationResolver resolver,
			@Nullable String groupRegistration) {
		Assert.notNull(resolver, "resolver must not be null");
		this.resolver = resolver;
		this.groupRegistration = groupRegistration;
	}

	@Override
	public void process(Method method, MethodParameter[] parameters, @Nullable Object[] arguments,
			HttpRequestValues.Builder builder) {
		Target target = this.targets.computeIfAbsent(method, this::target);
		if (target.registrationId() != null) {
			builder.addAttribute(TokenRequestAttributes.REGISTRATION, target.registrationId());
			if (!target.parameters().isEmpty()) {
				builder.addAttribute(TokenRequestAttributes.PARAMETERS, target.parameters());
			}
		}
	}

	private Target target(Method method) {
		String registrationId = this.resolver.resolve(method, this.groupRegistration);
		return (registrationId != null) ? new Target(registrationId, this.resolver.parameters(method)) : NONE;
	}

	/**
	 * What the requests of one method carry: the registration (none for no TokenKit
	 * token) and the parameters of its token.
	 */
	private record Target(@Nullable String registrationId, TokenParameters parameters) {
	}

}
