package io.tokenkit.autoconfigure;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * The DPoP proofs of each registration with {@code dpop: true}, made once so that its
 * token calls and its requests share one key and one nonce per server: signed with its
 * {@code client-key}, or without one with an EC P-256 key made for this instance, which
 * only a token store of this instance's own may hold tokens for.
 */
final class DpopKeys {

	private final Map<String, DpopProofs> proofs = new ConcurrentHashMap<>();

	private final Supplier<@Nullable SslBundles> bundles;

	private final Clock clock;

	DpopKeys(Supplier<@Nullable SslBundles> bundles, Clock clock) {
		this.bundles = bundles;
		this.clock = clock;
	}

	/**
	 * Return the proofs of a registration with {@code dpop: true}.
	 * @param registration the registration
	 * @return its proofs, the same on each call
	 * @throws InvalidTokenKitPropertyException if its client key cannot sign proofs
	 */
	DpopProofs proofs(RegistrationDefinition registration) {
		return this.proofs.computeIfAbsent(registration.getId(), (id) -> load(registration));
	}

	/**
	 * Stop start-up when a registration with {@code dpop: true} has no configured key and
	 * its tokens go to a store that other instances share: each instance would make its
	 * own key, and a token bound to one instance's key cannot be sent by another.
	 * @param registration the registration
	 * @param sharedStore whether the token store is not this instance's own (the Redis
	 * store, or any other than the in-memory one)
	 */
	static void requireSharedKey(RegistrationDefinition registration, boolean sharedStore) {
		if (registration.isDpop() && sharedStore && !hasKey(registration.getClientKey())) {
			throw new InvalidTokenKitPropertyException(registration.property("dpop"), "true",
					"the token store is shared by the application's instances (such as Redis) and no client-key is "
							+ "configured, so each instance would bind its tokens to a key of its own",
					"Configure " + registration.property("client-key.ssl-bundle") + " or "
							+ registration.property("client-key.file")
							+ " with the same key on every instance, or set dpop to false.");
		}
	}

	private DpopProofs load(RegistrationDefinition registration) {
		if (!hasKey(registration.getClientKey())) {
			return DpopProofs.withGeneratedKey(this.clock);
		}
		ClientKey key = ClientKeys.key(registration, this.bundles.get(), "for dpop");
		try {
			return new DpopProofs(key, this.clock);
		}
		catch (IllegalArgumentException ex) {
			// the message names the kind of key, never its content
			boolean bundle = StringUtils.hasText(registration.getClientKey().sslBundle());
			throw new InvalidTokenKitPropertyException(
					registration.property(bundle ? "client-key.ssl-bundle" : "client-key.file"),
					bundle ? registration.getClientKey().sslBundle()
							: ClientKeys.shown(registration.getClientKey().file()),
					"its key cannot sign DPoP proofs: " + ex.getMessage(),
					"Use an RSA key with its CRT parameters, a P-256 EC key or an Ed25519 key.");
		}
	}

	private static boolean hasKey(ClientKeySettings settings) {
		return StringUtils.hasText(settings.sslBundle()) || StringUtils.hasText(settings.file());
	}

}
