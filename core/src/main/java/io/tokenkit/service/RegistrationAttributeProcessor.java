package io.tokenkit.service;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

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

	private static final String NONE = "";

	private final HttpServiceRegistrationResolver resolver;

	private final @Nullable String groupRegistration;

	private final Map<Method, String> registrations = new ConcurrentHashMap<>();

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
		String registrationId = this.registrations.computeIfAbsent(method,
				(key) -> Objects.requireNonNullElse(this.resolver.resolve(key, this.groupRegistration), NONE));
		if (!registrationId.isEmpty()) {
			builder.addAttribute(TokenRequestAttributes.REGISTRATION, registrationId);
		}
	}

}
