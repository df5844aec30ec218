package io.tokenkit.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * only a token store of this instance's own may hold tokens for. The vendors'
 * auto-configurations, whose token clients are beans of their own, reach it through
 * {@link TokenCallClients#dpopProofs}.
 */
final class DpopKeys {

	private final Map<String, DpopProofs> proofs = new ConcurrentHashMap<>();

	private final Supplier<@Nullable SslBundles> bundles;

	private final Clock clock;

	/**
	 * Create the keys of registrations.
	 * @param bundles supplies Spring Boot's SSL bundles, {@code null} when there are none
	 * @param clock the clock of the proofs' {@code iat}
	 */
	DpopKeys(Supplier<@Nullable SslBundles> bundles, Clock clock) {
		this.bundles = bundles;
		this.clock = clock;
	}

	/**
	 * Return the proofs of the registration of a vendor's grant type that has
	 * {@code dpop: true}, for the vendor's one token client, whose tokens (its code
	 * exchange's too) any registration of that grant type may hold: a registration with
	 * {@code dpop: true} must then be the only one of its grant type.
	 * @param properties the properties
	 * @param grantType the vendor's grant type
	 * @return the proofs, or {@code null} when no registration of the grant type has
	 * {@code dpop: true}
	 * @throws InvalidTokenKitPropertyException if another registration has the grant type
	 * too, or the client key cannot sign proofs
	 */
	@Nullable DpopProofs proofsOfGrantType(TokenKitProperties properties, String grantType) {
		List<String> ids = new ArrayList<>();
		String dpopId = null;
		for (Map.Entry<String, TokenKitProperties.Registration> entry : properties.getRegistrations().entrySet()) {
			if (RegistrationDefinition.sameGrantType(entry.getValue().getGrantType(), grantType)) {
				ids.add(entry.getKey());
				if (entry.getValue().isDpop() && dpopId == null) {
					dpopId = entry.getKey();
				}
			}
		}
		if (dpopId == null) {
			return null;
		}
		String prefix = "tokenkit.registrations." + dpopId + ".";
		if (ids.size() > 1) {
			throw new InvalidTokenKitPropertyException(prefix + "dpop", "true",
					"the registrations " + ids + " all have grant-type " + grantType + ", whose one token client "
							+ "binds every token it acquires, its code exchange's included, to one DPoP key",
					"Keep one registration of grant-type " + grantType + ", or set dpop to false.");
		}
		RegistrationDefinition.Builder definition = RegistrationDefinition.withId(dpopId, prefix)
			.grantType(grantType)
			.dpop(true);
		return proofs(
				TokenKitPropertiesMapper.withClientKey(definition, dpopId, properties.getRegistrations().get(dpopId))
					.build());
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
