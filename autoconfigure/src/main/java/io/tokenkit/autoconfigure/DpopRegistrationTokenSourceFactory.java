package io.tokenkit.autoconfigure;

import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.token.TokenSource;

import org.springframework.util.Assert;

/**
 * A {@link RegistrationTokenSourceFactory} whose sources send DPoP proofs (RFC 9449) for
 * the registrations with {@code dpop: true}: it tells the proofs of such a registration,
 * so that its requests are sent with proofs of the key its token calls bind the tokens
 * to. A registration with {@code dpop: true} served by a factory of another kind stops
 * start-up.
 */
public interface DpopRegistrationTokenSourceFactory extends RegistrationTokenSourceFactory {

	/**
	 * Return the DPoP proofs of a registration with {@code dpop: true} whose source this
	 * factory created, shared with its token calls.
	 * @param registration the registration
	 * @return the proofs, or {@code null} when its tokens get no proof (a static token)
	 * @throws io.tokenkit.registration.InvalidTokenKitPropertyException if the
	 * registration's DPoP settings are wrong
	 */
	@Nullable DpopProofs dpop(RegistrationDefinition registration);

	/**
	 * Return a factory that serves one grant type.
	 * @param grantType the grant type
	 * @param create creates the source of a registration of that grant type
	 * @param dpop tells the proofs of a registration with {@code dpop: true}
	 * @return the factory
	 */
	static DpopRegistrationTokenSourceFactory of(String grantType, Function<RegistrationDefinition, TokenSource> create,
			Function<RegistrationDefinition, @Nullable DpopProofs> dpop) {
		RegistrationTokenSourceFactory factory = RegistrationTokenSourceFactory.of(grantType, create);
		Assert.notNull(dpop, "dpop must not be null");
		return new DpopRegistrationTokenSourceFactory() {

			@Override
			public Set<String> grantTypes() {
				return factory.grantTypes();
			}

			@Override
			public TokenSource create(RegistrationDefinition registration) {
				return factory.create(registration);
			}

			@Override
			public @Nullable DpopProofs dpop(RegistrationDefinition registration) {
				return dpop.apply(registration);
			}

			@Override
			public String toString() {
				return factory.toString();
			}

		};
	}

}
