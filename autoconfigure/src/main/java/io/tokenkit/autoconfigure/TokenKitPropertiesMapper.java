package io.tokenkit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RevocationSettings;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.CoolDownPolicy;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenHeader;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenRegistration;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Maps {@link TokenKitProperties} to the {@link RegistrationDefinition registration
 * definitions} that token source factories are given, so that no factory sees where a
 * registration was configured. A registration that reuses Spring Security's
 * ({@code tokenkit.registrations.<id>.from-spring-security}, or every one with
 * {@code tokenkit.spring-security-registrations}) is mapped by
 * {@link SpringSecurityRegistrations}. Every property the token manager and its store
 * read is checked here, in one pass, so that the {@code @Bean} methods only wire.
 */
final class TokenKitPropertiesMapper {

	private static final Duration MIN_ASSERTION_LIFETIME = Duration.ofSeconds(1);

	private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);

	private static final String PREFIX = "tokenkit.registrations.";

	private static final String ALL_FROM_SPRING_SECURITY = "tokenkit.spring-security-registrations";

	/**
	 * The settings of a registration's client key, client assertions and FAPI rules,
	 * which sit under {@code tokenkit.registrations.<id>} beside a reused Spring Security
	 * registration too.
	 */
	static final List<String> CLIENT_KEY_SETTINGS = List.of("client-key.ssl-bundle", "client-key.alias",
			"client-key.file", "client-key.key-id", "client-key.algorithm", "client-key.resource-calls",
			"client-assertion.audience", "client-assertion.lifetime", "fapi");

	/**
	 * The revocation settings, TokenKit's own for Spring Security's registrations too.
	 */
	static final List<String> REVOCATION_SETTINGS = List.of("revocation-uri", "revoke-on-remove",
			"revoke-access-token");

	private final TokenKitProperties properties;

	private final Binder binder;

	private final SpringSecurityRegistrations springSecurity;

	private TokenKeyResolver userKeyResolver = TokenKeyResolver.attributes();

	/**
	 * Create a mapper.
	 * @param properties the properties
	 * @param binder the binder of the application's environment, which reads Spring
	 * Security's registrations
	 */
	TokenKitPropertiesMapper(TokenKitProperties properties, Binder binder) {
		this.properties = properties;
		this.binder = binder;
		boolean reuses = properties.isSpringSecurityRegistrations() || properties.getRegistrations()
			.values()
			.stream()
			.anyMatch(TokenKitProperties.Registration::isFromSpringSecurity);
		// Spring Security's properties are read only by an application that reuses them
		this.springSecurity = reuses ? SpringSecurityRegistrations.bind(binder) : SpringSecurityRegistrations.NONE;
	}

	/**
	 * Find the key of each request's token of the per-user registrations reused from
	 * Spring Security with this resolver instead of the request attributes alone: the
	 * logged-in user's, when Spring Security's client is there.
	 * @param userKeyResolver the resolver, or {@code null} to keep the request attributes
	 * @return this mapper
	 */
	TokenKitPropertiesMapper withUserKeyResolver(@Nullable TokenKeyResolver userKeyResolver) {
		if (userKeyResolver != null) {
			this.userKeyResolver = userKeyResolver;
		}
		return this;
	}

	/**
	 * Return what the token manager is made of, every property it reads checked in this
	 * one pass: the registrations' definitions, the acquire timeout, the cool-down after
	 * failures, the token calls' policy and the longest token lifetime.
	 * @return the settings
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	ManagerSettings asManagerSettings() {
		List<RegistrationDefinition> definitions = asRegistrationDefinitions();
		Duration acquireTimeout = InvalidTokenKitPropertyException.requirePositive("tokenkit.acquire-timeout",
				this.properties.getAcquireTimeout());
		return new ManagerSettings(definitions, acquireTimeout, coolDown(this.properties.getTokenCalls()),
				TokenCallClients.policy(this.properties.getTokenCalls()),
				TokenLifetimeSettings.max(this.properties.getTokenLifetime()));
	}

	/**
	 * Return the most tokens the in-memory store keeps, checked, when the in-memory store
	 * is the one configured.
	 * @param store the store properties
	 * @return the limit, or {@code null} for none
	 * @throws InvalidTokenKitPropertyException if the limit is not positive, or if the
	 * Redis store is configured without Spring Data Redis on the class path
	 */
	static @Nullable Integer inMemoryMaxEntries(TokenKitProperties.Store store) {
		if (store.getType() == TokenKitProperties.StoreType.REDIS) {
			throw new InvalidTokenKitPropertyException("tokenkit.store.type", "redis",
					"Spring Data Redis is not on the class path",
					"Add spring-boot-starter-data-redis-reactive, or set tokenkit.store.type=in-memory.");
		}
		Integer maxEntries = store.getMaxEntries();
		if (maxEntries != null && maxEntries <= 0) {
			throw new InvalidTokenKitPropertyException("tokenkit.store.max-entries", maxEntries.toString(),
					"it must be positive",
					"Set it to the number of users whose tokens to keep in memory, or remove it for no limit.");
		}
		return maxEntries;
	}

	/**
	 * Return the cool-down after a failed metadata fetch, checked.
	 * @param discovery the discovery properties
	 * @return the cool-down
	 * @throws InvalidTokenKitPropertyException if it is not positive
	 */
	static Duration discoveryCoolDown(TokenKitProperties.Discovery discovery) {
		return InvalidTokenKitPropertyException.requirePositive("tokenkit.discovery.cool-down",
				discovery.getCoolDown());
	}

	private static CoolDownPolicy coolDown(TokenKitProperties.TokenCalls calls) {
		Duration initial = InvalidTokenKitPropertyException.requirePositive("tokenkit.token-calls.cool-down",
				calls.getCoolDown());
		Duration max = InvalidTokenKitPropertyException.requirePositive("tokenkit.token-calls.cool-down-max",
				calls.getCoolDownMax());
		if (max.compareTo(initial) < 0) {
			throw new InvalidTokenKitPropertyException("tokenkit.token-calls.cool-down-max", max.toString(),
					"it is shorter than tokenkit.token-calls.cool-down (" + initial + ")",
					"Set cool-down-max to at least cool-down.");
		}
		return new CoolDownPolicy(initial, max);
	}

	/**
	 * Return the definitions of every registration, once every property of registrations
	 * and clients is checked: an unknown key, a grant setting beside a reused Spring
	 * Security registration, a negative refresh skew, a header format without its token
	 * placeholder.
	 * @return the definitions
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	List<RegistrationDefinition> asRegistrationDefinitions() {
		UnknownPropertyKeys.refuse(this.binder);
		boolean all = this.properties.isSpringSecurityRegistrations();
		if (all && this.springSecurity.ids().isEmpty()) {
			throw new InvalidTokenKitPropertyException(ALL_FROM_SPRING_SECURITY, "true",
					"there is no registration under " + SpringSecurityRegistrations.PREFIX + "registration to reuse",
					"Configure Spring Security's registrations under " + SpringSecurityRegistrations.PREFIX
							+ "registration.<id>.*, or remove it.");
		}
		List<RegistrationDefinition> definitions = new ArrayList<>();
		this.properties.getRegistrations().forEach((id, registration) -> {
			InvalidTokenKitPropertyException.requireNotNegative(PREFIX + id + ".refresh-skew",
					registration.getRefreshSkew());
			if (registration.isFromSpringSecurity() || (all && this.springSecurity.contains(id))) {
				String reusedBy = registration.isFromSpringSecurity() ? PREFIX + id + ".from-spring-security"
						: ALL_FROM_SPRING_SECURITY;
				checkReusable(id, registration, reusedBy);
				definitions.add(this.springSecurity.definition(id, reusedBy, registration.getRefreshSkew(),
						PREFIX + id + ".refresh-skew", authorizer(id, registration), this.userKeyResolver,
						(definition, grantType) -> SubjectGrantProperties.applyToReused(
								withClientKey(definition, id, registration), PREFIX + id + ".", grantType,
								SpringSecurityRegistrations.grantTypeProperty(id), registration, registrationIds())));
			}
			else {
				definitions.add(tokenKitDefinition(id, registration, registrationIds()));
			}
		});
		if (all) {
			this.springSecurity.ids()
				.stream()
				.filter((id) -> !this.properties.getRegistrations().containsKey(id))
				.forEach((id) -> definitions.add(this.springSecurity.definition(id, ALL_FROM_SPRING_SECURITY,
						TokenRegistration.DEFAULT_REFRESH_SKEW, PREFIX + id + ".refresh-skew", TokenAuthorizer.bearer(),
						this.userKeyResolver, (definition, grantType) -> withClientKey(definition, id,
								new TokenKitProperties.Registration()))));
		}
		return definitions;
	}

	private Set<String> registrationIds() {
		Set<String> ids = new LinkedHashSet<>(this.properties.getRegistrations().keySet());
		if (this.properties.isSpringSecurityRegistrations()) {
			ids.addAll(this.springSecurity.ids());
		}
		return ids;
	}

	private static RegistrationDefinition tokenKitDefinition(String id, TokenKitProperties.Registration registration,
			Set<String> registrationIds) {
		RegistrationDefinition.Builder definition = RegistrationDefinition.withId(id, PREFIX + id + ".")
			.grantType(registration.getGrantType())
			.tokenUri((registration.getTokenUri() != null) ? registration.getTokenUri().toString() : null)
			.issuerUri((registration.getIssuerUri() != null) ? registration.getIssuerUri().toString() : null)
			.clientId(registration.getClientId())
			.clientSecret(registration.getClientSecret())
			.clientAuthentication(registration.getClientAuthentication())
			.scopes(registration.getScopes())
			.additionalParameters(registration.getAdditionalParameters())
			.token(registration.getToken())
			.refreshToken(registration.getRefreshToken())
			.refreshSkew(registration.getRefreshSkew())
			.authorizer(authorizer(id, registration))
			.dpop(registration.isDpop());
		return SubjectGrantProperties
			.apply(withClientKey(definition, id, registration), PREFIX + id + ".", registration, registrationIds)
			.build();
	}

	/**
	 * Add a registration's client key, client assertion, FAPI and revocation settings,
	 * which sit under {@code tokenkit.registrations.<id>} for TokenKit's registrations
	 * and Spring Security's alike.
	 */
	static RegistrationDefinition.Builder withClientKey(RegistrationDefinition.Builder definition, String id,
			TokenKitProperties.Registration registration) {
		String prefix = PREFIX + id + ".";
		CLIENT_KEY_SETTINGS.forEach((key) -> definition.property(key, prefix + key));
		REVOCATION_SETTINGS.forEach((key) -> definition.property(key, prefix + key));
		TokenKitProperties.ClientKey key = registration.getClientKey();
		return definition
			.revocation(new RevocationSettings(
					(registration.getRevocationUri() != null) ? registration.getRevocationUri().toString() : null,
					registration.getRevokeOnRemove(), registration.isRevokeAccessToken()))
			.clientKey(new ClientKeySettings(key.getSslBundle(), key.getAlias(), key.getFile(), key.getKeyId(),
					key.getAlgorithm()))
			.assertionAudience(registration.getClientAssertion().getAudience())
			.assertionLifetime(assertionLifetime(prefix + "client-assertion.lifetime",
					registration.getClientAssertion().getLifetime()))
			.fapi(registration.isFapi());
	}

	private static Duration assertionLifetime(String property, @Nullable Duration lifetime) {
		if (lifetime == null || lifetime.compareTo(MIN_ASSERTION_LIFETIME) < 0
				|| lifetime.compareTo(MAX_ASSERTION_LIFETIME) > 0) {
			throw new InvalidTokenKitPropertyException(property, String.valueOf(lifetime),
					"it must be from 1 second to 10 minutes: a client assertion is sent at once, and a long-lived one "
							+ "could be replayed if it leaked",
					"Set it to a few seconds or minutes, or remove it to use the default (60s).");
		}
		return lifetime;
	}

	/**
	 * Return the authorizer that sends a registration's token in its configured header.
	 */
	private static TokenAuthorizer authorizer(String id, TokenKitProperties.Registration registration) {
		String name = InvalidTokenKitPropertyException.require(PREFIX + id + ".header-name",
				registration.getHeaderName(), "for every registration");
		String format = registration.getHeaderFormat();
		int first = format.indexOf(TokenHeader.TOKEN_PLACEHOLDER);
		if (first < 0 || format.indexOf(TokenHeader.TOKEN_PLACEHOLDER, first + 1) >= 0) {
			// never the value: a token pasted into the format by mistake stays out of the
			// message
			throw new InvalidTokenKitPropertyException(PREFIX + id + ".header-format", null,
					"the header format must contain {token} exactly once, where the token goes",
					"Write it as, for example, \"Bearer {token}\" or \"{token}\".");
		}
		return TokenAuthorizer.header(name, format);
	}

	/**
	 * Stop start-up when a registration that reuses Spring Security's sets a grant
	 * setting of its own, or when Spring Security has no registration of its id.
	 */
	private void checkReusable(String id, TokenKitProperties.Registration registration, String reusedBy) {
		String prefix = PREFIX + id + ".";
		if (!this.springSecurity.contains(id)) {
			throw new InvalidTokenKitPropertyException(reusedBy, "true",
					"there is no " + SpringSecurityRegistrations.PREFIX + "registration." + id
							+ " to reuse (configured: " + this.springSecurity.ids() + ")",
					"Configure " + SpringSecurityRegistrations.PREFIX + "registration." + id
							+ ".*, or remove it and configure the registration's grant under " + prefix + "*.");
		}
		List<String> grantSettings = new ArrayList<>();
		addIf(grantSettings, registration.getGrantType() != null, "grant-type");
		addIf(grantSettings, registration.getTokenUri() != null, "token-uri");
		addIf(grantSettings, registration.getIssuerUri() != null, "issuer-uri");
		addIf(grantSettings, registration.getClientId() != null, "client-id");
		addIf(grantSettings, registration.getClientSecret() != null, "client-secret");
		addIf(grantSettings,
				this.binder
					.bind(PREFIX.substring(0, PREFIX.length() - 1) + "[" + id + "].client-authentication",
							Bindable.of(String.class))
					.isBound(),
				"client-authentication");
		addIf(grantSettings, !registration.getScopes().isEmpty(), "scopes");
		addIf(grantSettings, !registration.getAdditionalParameters().isEmpty(), "additional-parameters");
		addIf(grantSettings, registration.getToken() != null, "token");
		addIf(grantSettings, registration.getRefreshToken() != null, "refresh-token");
		// DPoP is for TokenKit's own registrations: a reused one gets no proofs
		addIf(grantSettings, registration.isDpop(), "dpop");
		if (!grantSettings.isEmpty()) {
			throw new InvalidTokenKitPropertyException(reusedBy, "true",
					"it reuses " + SpringSecurityRegistrations.PREFIX + "registration." + id + ", and " + prefix
							+ "* sets grant settings of its own too: " + grantSettings,
					"Remove " + grantSettings.stream().map((key) -> prefix + key).toList()
							+ " (a reused registration takes them from Spring Security's; only header-name, "
							+ "header-format, refresh-skew, client-key.*, client-assertion.*, fapi, revocation-uri, "
							+ "revoke-on-remove, revoke-access-token, audiences, resources and token-exchange.* may "
							+ "be set here), or " + (reusedBy.equals(ALL_FROM_SPRING_SECURITY)
									? "give one of the two registrations another id." : "remove " + reusedBy + "."));
		}
	}

	private static void addIf(List<String> settings, boolean set, String key) {
		if (set) {
			settings.add(key);
		}
	}

	/**
	 * What the token manager is made of, every property checked.
	 *
	 * @param definitions the registrations' definitions
	 * @param acquireTimeout how long a caller waits for one acquisition
	 * @param coolDown the cool-down after failed token calls
	 * @param tokenCalls the token calls' timeouts and retries
	 * @param maxLifetime the longest lifetime of a stored token, or {@code null}
	 */
	record ManagerSettings(List<RegistrationDefinition> definitions, Duration acquireTimeout, CoolDownPolicy coolDown,
			TokenCallPolicy tokenCalls, @Nullable Duration maxLifetime) {

	}

}
