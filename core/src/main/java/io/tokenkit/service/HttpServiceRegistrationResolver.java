package io.tokenkit.service;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKitRegistration;
import io.tokenkit.token.TokenParameters;

import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Chooses the registration whose token the requests of an HTTP service method carry, with
 * this precedence: an annotation on the method, then an annotation on its interface, then
 * the registration of the service group
 * ({@code tokenkit.service-groups.<group>.registration}).
 * <p>
 * The annotation is {@link TokenKitRegistration @TokenKitRegistration} or, when Spring
 * Security's OAuth2 client is on the class path, its {@code @ClientRegistrationId}; on
 * the same element {@code @TokenKitRegistration} wins. A {@code @ClientRegistrationId}
 * naming a registration TokenKit does not serve belongs to Spring Security's own OAuth2
 * client: the requests it covers get no TokenKit token, whatever a lower level says, so
 * that they never carry two tokens.
 */
public final class HttpServiceRegistrationResolver {

	/** The class name of Spring Security's {@code @ClientRegistrationId}. */
	public static final String CLIENT_REGISTRATION_ID = "org.springframework.security.oauth2.client.annotation.ClientRegistrationId";

	private static final boolean CLIENT_REGISTRATION_ID_PRESENT = ClassUtils.isPresent(CLIENT_REGISTRATION_ID,
			HttpServiceRegistrationResolver.class.getClassLoader());

	private final Predicate<String> served;

	/**
	 * Create a resolver.
	 * @param served whether TokenKit serves a registration id
	 */
	public HttpServiceRegistrationResolver(Predicate<String> served) {
		Assert.notNull(served, "served must not be null");
		this.served = served;
	}

	/**
	 * Return the registration whose token the requests of {@code method} carry.
	 * @param method a method of an HTTP service interface
	 * @param groupRegistration the registration of the method's service group, or
	 * {@code null} when the group has none
	 * @return the registration id, or {@code null} for requests without a TokenKit token
	 */
	public @Nullable String resolve(Method method, @Nullable String groupRegistration) {
		Assert.notNull(method, "method must not be null");
		for (AnnotatedElement element : new AnnotatedElement[] { method, method.getDeclaringClass() }) {
			Declaration declaration = declaration(element);
			if (declaration != null) {
				return (declaration.isTokenKit() || this.served.test(declaration.registrationId()))
						? declaration.registrationId() : null;
			}
		}
		return groupRegistration;
	}

	/**
	 * Return the {@link TokenParameters} the requests of {@code method} ask for: those of
	 * the {@link TokenKitRegistration @TokenKitRegistration} that names their
	 * registration (on the method, else on its interface), {@link TokenParameters#NONE}
	 * when it asks for none or another annotation names the registration.
	 * @param method a method of an HTTP service interface
	 * @return the parameters
	 */
	public TokenParameters parameters(Method method) {
		Assert.notNull(method, "method must not be null");
		for (AnnotatedElement element : new AnnotatedElement[] { method, method.getDeclaringClass() }) {
			MergedAnnotation<TokenKitRegistration> tokenKit = MergedAnnotations
				.from(element, SearchStrategy.TYPE_HIERARCHY)
				.get(TokenKitRegistration.class);
			if (tokenKit.isPresent()) {
				return TokenParameters.builder()
					.scopes(List.of(tokenKit.getStringArray("scopes")))
					.audiences(List.of(tokenKit.getStringArray("audiences")))
					.resources(List.of(tokenKit.getStringArray("resources")))
					.build();
			}
			if (declaration(element) != null) {
				return TokenParameters.NONE;
			}
		}
		return TokenParameters.NONE;
	}

	/**
	 * Return the registration an interface or a method declares by annotation.
	 * @param element an HTTP service interface or one of its methods
	 * @return the declaration, or {@code null} when the element has no such annotation
	 */
	public static @Nullable Declaration declaration(AnnotatedElement element) {
		MergedAnnotations annotations = MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY);
		MergedAnnotation<TokenKitRegistration> tokenKit = annotations.get(TokenKitRegistration.class);
		if (tokenKit.isPresent()) {
			return new Declaration(tokenKit.getString("value"), TokenKitRegistration.class.getName());
		}
		if (CLIENT_REGISTRATION_ID_PRESENT) {
			MergedAnnotation<?> security = annotations.get(CLIENT_REGISTRATION_ID);
			if (security.isPresent()) {
				return new Declaration(security.getString("registrationId"), CLIENT_REGISTRATION_ID);
			}
		}
		return null;
	}

	/**
	 * A registration declared by annotation.
	 *
	 * @param registrationId the registration id
	 * @param annotation the class name of the annotation that declares it
	 */
	public record Declaration(String registrationId, String annotation) {

		/**
		 * Return whether the annotation is {@link TokenKitRegistration}, which always
		 * names a TokenKit registration.
		 * @return whether it is TokenKit's annotation
		 */
		public boolean isTokenKit() {
			return TokenKitRegistration.class.getName().equals(this.annotation);
		}

	}

}
