package io.tokenkit.autoconfigure;

import java.util.Map;

import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.token.TokenHeader;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;

/**
 * Checks TokenKit's properties before any bean is created, whichever {@link TokenManager}
 * the application runs and however lazily its beans start: an unknown key under a
 * registration or a client stops start-up ({@link UnknownPropertyKeys}), and so does a
 * {@code header-name} or {@code header-format} beside the application's own token
 * manager, whose registrations decide the header.
 */
final class TokenKitPropertyChecks implements BeanFactoryPostProcessor {

	/** The bean name of the token manager of {@link TokenKitAutoConfiguration}. */
	static final String BUILT_IN_MANAGER = "tokenKitTokenManager";

	private static final String REGISTRATIONS = "tokenkit.registrations";

	private final Environment environment;

	TokenKitPropertyChecks(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Binder binder = Binder.get(this.environment);
		UnknownPropertyKeys.refuse(binder);
		String[] managers = beanFactory.getBeanNamesForType(TokenManager.class, true, false);
		if (managers.length > 0 && !beanFactory.containsBeanDefinition(BUILT_IN_MANAGER)) {
			refuseHeaderSettings(binder, managers[0]);
		}
	}

	/**
	 * Stop start-up when a registration sets its header in properties that the
	 * application's own token manager would not read.
	 */
	private static void refuseHeaderSettings(Binder binder, String manager) {
		Map<String, TokenKitProperties.Registration> registrations = binder
			.bind(REGISTRATIONS, Bindable.mapOf(String.class, TokenKitProperties.Registration.class))
			.orElse(Map.of());
		registrations.forEach((id, registration) -> {
			String property = null;
			if (!HttpHeaders.AUTHORIZATION.equalsIgnoreCase(registration.getHeaderName())) {
				property = "header-name";
			}
			else if (!TokenHeader.DEFAULT_FORMAT.equals(registration.getHeaderFormat())) {
				property = "header-format";
			}
			if (property != null) {
				throw new InvalidTokenKitPropertyException(REGISTRATIONS + "." + id + "." + property, null,
						"the application's own TokenManager (bean '" + manager
								+ "') runs the registrations, and its TokenRegistration's TokenAuthorizer decides the header, not this property",
						"Give the TokenRegistration '" + id
								+ "' of your TokenManager the header, with TokenAuthorizer.header(name, format), and remove the property.");
			}
		});
	}

}
