package io.tokenkit.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;

import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.util.StreamUtils;
import org.springframework.util.StringUtils;

/**
 * Loads a registration's {@code client-key}: the private key of a Spring Boot SSL bundle
 * (JKS, PKCS#12 or PEM, as Boot reads them) or of a PEM or JWK file, with its key id and
 * algorithm. Every failure names the property and never shows key material.
 */
final class ClientKeys {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * What failures show instead of a {@code client-key.file} that holds the key itself.
	 */
	private static final String CONTENT = "(the key itself, not shown)";

	private ClientKeys() {
	}

	/**
	 * Return the SSL bundle of a registration's {@code client-key.ssl-bundle}.
	 * @param registration the registration
	 * @param bundles Boot's SSL bundles, or {@code null} when there are none
	 * @return the bundle, or {@code null} when none is configured
	 * @throws InvalidTokenKitPropertyException if there is no bundle of that name
	 */
	static @Nullable SslBundle bundle(RegistrationDefinition registration, @Nullable SslBundles bundles) {
		String name = registration.getClientKey().sslBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		return bundle(registration.property("client-key.ssl-bundle"), name, registration.getClientKey().alias(),
				bundles);
	}

	/**
	 * Return the SSL bundle a property names, presenting the key entry of an alias.
	 * @param property the property
	 * @param name the bundle's name
	 * @param alias the {@code client-key.alias}, or {@code null} for the bundle's
	 * {@code key.alias}
	 * @param bundles Boot's SSL bundles, or {@code null} when there are none
	 * @return the bundle, whose key store holds only the alias's entry when an alias is
	 * given (Boot's key managers choose the alias of a server's certificate, not of a
	 * client's)
	 * @throws InvalidTokenKitPropertyException if there is no bundle of that name
	 */
	static SslBundle bundle(String property, String name, @Nullable String alias, @Nullable SslBundles bundles) {
		SslBundle bundle = bundle(property, name, bundles);
		String chosen = StringUtils.hasText(alias) ? alias : bundle.getKey().getAlias();
		KeyStore store = bundle.getStores().getKeyStore();
		if (!StringUtils.hasText(chosen) || store == null) {
			return bundle;
		}
		try {
			if (!store.isKeyEntry(chosen) || keyEntries(store).size() < 2) {
				return bundle;
			}
			for (char[] password : passwords(bundle)) {
				try {
					KeyStore.ProtectionParameter protection = new KeyStore.PasswordProtection(password);
					KeyStore.Entry entry = store.getEntry(chosen, protection);
					KeyStore one = KeyStore.getInstance("PKCS12");
					one.load(null, null);
					one.setEntry(chosen, entry, protection);
					String text = (password != null) ? new String(password) : null;
					return SslBundle.of(SslStoreBundle.of(one, text, bundle.getStores().getTrustStore()),
							SslBundleKey.of(text, chosen), bundle.getOptions(), bundle.getProtocol());
				}
				catch (GeneralSecurityException | IOException ex) {
					// the next password
				}
			}
		}
		catch (java.security.KeyStoreException ex) {
			// reported where the key is read
		}
		return bundle;
	}

	/**
	 * Return the SSL bundle a property names.
	 * @param property the property
	 * @param name the bundle's name
	 * @param bundles Boot's SSL bundles, or {@code null} when there are none
	 * @return the bundle
	 * @throws InvalidTokenKitPropertyException if there is no bundle of that name
	 */
	static SslBundle bundle(String property, String name, @Nullable SslBundles bundles) {
		List<String> names = (bundles != null) ? bundles.getBundleNames() : List.of();
		try {
			if (bundles != null) {
				return bundles.getBundle(name);
			}
		}
		catch (NoSuchSslBundleException ex) {
			// reported below
		}
		throw new InvalidTokenKitPropertyException(property, name,
				"there is no Spring Boot SSL bundle of this name (configured: " + names + ")",
				"Configure it under spring.ssl.bundle.jks." + name + ".* or spring.ssl.bundle.pem." + name
						+ ".*, or name a configured bundle.");
	}

	/**
	 * Return a registration's client key, checked: a private key, an algorithm that fits
	 * it.
	 * @param registration the registration
	 * @param bundles Boot's SSL bundles, or {@code null} when there are none
	 * @param when when a key is required, for example
	 * {@code "for client-authentication private_key_jwt"}
	 * @return the key
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	static ClientKey key(RegistrationDefinition registration, @Nullable SslBundles bundles, String when) {
		ClientKeySettings settings = registration.getClientKey();
		boolean fromBundle = StringUtils.hasText(settings.sslBundle());
		boolean fromFile = StringUtils.hasText(settings.file());
		if (fromBundle == fromFile) {
			throw new InvalidTokenKitPropertyException(registration.property("client-key.ssl-bundle"),
					settings.sslBundle(),
					fromBundle ? "it is set together with " + registration.property("client-key.file")
							: "neither it nor " + registration.property("client-key.file") + " is set, and a key is "
									+ "needed " + when,
					"Set one of the two: the name of a Spring Boot SSL bundle, or the location of a PEM or JWK "
							+ "key file.");
		}
		LoadedKey loaded = fromBundle ? fromBundle(registration, bundle(registration, bundles))
				: fromFile(registration, settings.file());
		return signingKey(registration, loaded);
	}

	/**
	 * Return the private key of a registration's {@code client-key.ssl-bundle}, as mutual
	 * TLS presents it, with the property it came from.
	 * @param registration the registration, which has a bundle
	 * @param bundles Boot's SSL bundles, or {@code null} when there are none
	 * @return the key and its property
	 * @throws InvalidTokenKitPropertyException if the bundle is missing or holds no key
	 */
	static LoadedKey bundleKey(RegistrationDefinition registration, @Nullable SslBundles bundles) {
		return fromBundle(registration, bundle(registration, bundles));
	}

	private static ClientKey signingKey(RegistrationDefinition registration, LoadedKey loaded) {
		ClientKeySettings settings = registration.getClientKey();
		String keyId = StringUtils.hasText(settings.keyId()) ? settings.keyId() : loaded.keyId();
		ClientKeyAlgorithm jwkAlgorithm = jwkAlgorithm(registration, loaded);
		ClientKeyAlgorithm algorithm = (settings.algorithm() != null) ? settings.algorithm()
				: (jwkAlgorithm != null) ? jwkAlgorithm : ClientKeyAlgorithm.defaultFor(loaded.privateKey());
		String kind = loaded.privateKey().getAlgorithm();
		if (algorithm == null) {
			throw new InvalidTokenKitPropertyException(loaded.property(), loaded.value(),
					"its " + kind + " key fits none of the algorithms PS256, ES256 (P-256), EdDSA (Ed25519), RS256",
					"Use an RSA, a P-256 EC or an Ed25519 key.");
		}
		if (!algorithm.fits(loaded.privateKey())) {
			throw new InvalidTokenKitPropertyException(registration.property("client-key.algorithm"),
					algorithm.jwsName(), "it does not fit the " + kind + " key of " + loaded.property(),
					"Set it to " + fitting(loaded.privateKey()) + ", or remove it to use the one the key fits.");
		}
		return new ClientKey(loaded.privateKey(), algorithm, keyId);
	}

	private static @Nullable ClientKeyAlgorithm jwkAlgorithm(RegistrationDefinition registration, LoadedKey loaded) {
		String alg = loaded.jwkAlgorithm();
		if (alg == null) {
			return null;
		}
		ClientKeyAlgorithm named = null;
		for (ClientKeyAlgorithm algorithm : ClientKeyAlgorithm.values()) {
			if (algorithm.jwsName().equals(alg)) {
				named = algorithm;
			}
		}
		if (named == null) {
			throw new InvalidTokenKitPropertyException(loaded.property(), loaded.value(),
					"its JWK's alg " + alg + " is none of PS256, ES256, EdDSA, RS256",
					"Use a key for one of them, or remove alg from the JWK.");
		}
		ClientKeyAlgorithm configured = registration.getClientKey().algorithm();
		if (configured != null && configured != named) {
			throw new InvalidTokenKitPropertyException(registration.property("client-key.algorithm"),
					configured.jwsName(), "the JWK of " + loaded.property() + " is for " + alg,
					"Set it to " + alg + ", or remove it to use the JWK's alg.");
		}
		return named;
	}

	private static String fitting(PrivateKey key) {
		List<String> names = new ArrayList<>();
		for (ClientKeyAlgorithm algorithm : ClientKeyAlgorithm.values()) {
			if (algorithm.fits(key)) {
				names.add(algorithm.jwsName());
			}
		}
		return names.isEmpty() ? "an algorithm that fits it (none does)" : String.join(" or ", names);
	}

	private static LoadedKey fromBundle(RegistrationDefinition registration, SslBundle bundle) {
		String property = registration.property("client-key.ssl-bundle");
		String name = registration.getClientKey().sslBundle();
		KeyStore store = bundle.getStores().getKeyStore();
		if (store == null) {
			throw new InvalidTokenKitPropertyException(property, name, "the SSL bundle has no key store",
					"Configure the bundle's keystore (jks) or its private-key and certificate (pem).");
		}
		String alias = registration.getClientKey().alias();
		String aliasProperty = registration.property("client-key.alias");
		if (!StringUtils.hasText(alias)) {
			alias = bundle.getKey().getAlias();
			aliasProperty = property;
		}
		// a configured alias is the kid; the entry a store happens to hold (a PEM
		// bundle's
		// is Boot's own) is not
		String keyId = alias;
		try {
			if (!StringUtils.hasText(alias)) {
				alias = onlyKeyEntry(store, property, name);
			}
			if (!store.containsAlias(alias)) {
				throw new InvalidTokenKitPropertyException(aliasProperty, alias,
						"the key store of SSL bundle '" + name + "' has no entry of this alias",
						"Set " + registration.property("client-key.alias") + " to the alias of the key entry.");
			}
			PrivateKey key = privateKey(store, alias, bundle);
			if (key == null) {
				throw new InvalidTokenKitPropertyException(property, name,
						"the entry '" + alias + "' of the SSL bundle holds no private key that its passwords open",
						"Use a bundle with the client's private key and certificate (set the bundle's key.password "
								+ "if the key has its own), or set " + registration.property("client-key.alias")
								+ " to the key entry.");
			}
			return new LoadedKey(key, keyId, null, property, name);
		}
		catch (java.security.KeyStoreException ex) {
			throw new InvalidTokenKitPropertyException(property, name,
					"its key store cannot be read (" + ex.getClass().getSimpleName() + ")",
					"Check the bundle's key store.");
		}
	}

	private static String onlyKeyEntry(KeyStore store, String property, @Nullable String name)
			throws java.security.KeyStoreException {
		List<String> keyEntries = keyEntries(store);
		if (keyEntries.size() != 1) {
			throw new InvalidTokenKitPropertyException(property, name,
					keyEntries.isEmpty() ? "the SSL bundle holds no private key"
							: "the SSL bundle holds several keys " + keyEntries + " and no alias says which",
					keyEntries.isEmpty() ? "Use a bundle with the client's private key and certificate."
							: "Set client-key.alias (or the bundle's key.alias) to one of them.");
		}
		return keyEntries.get(0);
	}

	private static List<String> keyEntries(KeyStore store) throws java.security.KeyStoreException {
		List<String> keyEntries = new ArrayList<>();
		for (String alias : Collections.list(store.aliases())) {
			if (store.isKeyEntry(alias)) {
				keyEntries.add(alias);
			}
		}
		return keyEntries;
	}

	private static @Nullable PrivateKey privateKey(KeyStore store, String alias, SslBundle bundle)
			throws java.security.KeyStoreException {
		for (char[] password : passwords(bundle)) {
			try {
				Key key = store.getKey(alias, password);
				return (key instanceof PrivateKey privateKey) ? privateKey : null;
			}
			catch (GeneralSecurityException ex) {
				// the next password
			}
		}
		return null;
	}

	private static List<char @Nullable []> passwords(SslBundle bundle) {
		List<char @Nullable []> passwords = new ArrayList<>();
		addPassword(passwords, bundle.getKey().getPassword());
		addPassword(passwords, bundle.getStores().getKeyStorePassword());
		passwords.add(new char[0]);
		passwords.add(null);
		return passwords;
	}

	private static void addPassword(List<char @Nullable []> passwords, @Nullable String password) {
		if (password != null) {
			passwords.add(password.toCharArray());
		}
	}

	private static LoadedKey fromFile(RegistrationDefinition registration, String location) {
		String property = registration.property("client-key.file");
		String text;
		String shown;
		if (isContent(location)) {
			// the key itself, as Boot's PEM bundles accept it: never shown
			text = location.strip();
			shown = CONTENT;
		}
		else {
			text = read(property, location);
			shown = location;
		}
		if (text.startsWith("{")) {
			return fromJwk(property, shown, text);
		}
		PrivateKey key = null;
		try {
			key = PemContent.isPresentInText(text) ? PemContent.of(text).getPrivateKey() : null;
		}
		catch (RuntimeException ex) {
			// never Boot's message: it may quote the content
		}
		if (key == null) {
			throw new InvalidTokenKitPropertyException(property, shown,
					"the file holds no private key that TokenKit can read (PEM: PKCS#8, PKCS#1 or SEC 1 without a "
							+ "password; JWK: JSON with the private part)",
					"Point it at the client's private key.");
		}
		return new LoadedKey(key, null, null, property, shown);
	}

	/**
	 * Return a {@code client-key.file} value as failures may show it: its location, or a
	 * placeholder when it holds the key itself.
	 * @param value the value
	 * @return what may be shown
	 */
	static @Nullable String shown(@Nullable String value) {
		return (value != null && isContent(value)) ? CONTENT : value;
	}

	private static boolean isContent(String value) {
		String stripped = value.strip();
		return stripped.startsWith("{") || stripped.contains("-----BEGIN") || stripped.indexOf('\n') >= 0;
	}

	private static String read(String property, String location) {
		Resource resource = ApplicationResourceLoader.get().getResource(location);
		try (InputStream in = resource.getInputStream()) {
			return StreamUtils.copyToString(in, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new InvalidTokenKitPropertyException(property, location,
					"the file cannot be read (" + ex.getClass().getSimpleName() + ")",
					"Set it to a readable PEM or JWK file, or to the PEM or JWK text itself; a plain path is a file "
							+ "system path, classpath: reads from the class path.");
		}
	}

	private static LoadedKey fromJwk(String property, String location, String text) {
		try {
			JsonNode jwk = json.readTree(text);
			String kty = text(jwk, "kty");
			KeySpec spec;
			String factory;
			if ("RSA".equals(kty) && jwk.has("p")) {
				spec = new RSAPrivateCrtKeySpec(number(jwk, "n"), number(jwk, "e"), number(jwk, "d"), number(jwk, "p"),
						number(jwk, "q"), number(jwk, "dp"), number(jwk, "dq"), number(jwk, "qi"));
				factory = "RSA";
			}
			else if ("RSA".equals(kty)) {
				spec = new RSAPrivateKeySpec(number(jwk, "n"), number(jwk, "d"));
				factory = "RSA";
			}
			else if ("EC".equals(kty) && "P-256".equals(text(jwk, "crv"))) {
				AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
				parameters.init(new ECGenParameterSpec("secp256r1"));
				spec = new ECPrivateKeySpec(number(jwk, "d"), parameters.getParameterSpec(ECParameterSpec.class));
				factory = "EC";
			}
			else if ("OKP".equals(kty) && "Ed25519".equals(text(jwk, "crv"))) {
				spec = new EdECPrivateKeySpec(NamedParameterSpec.ED25519, bytes(jwk, "d"));
				factory = "Ed25519";
			}
			else {
				throw new InvalidTokenKitPropertyException(property, location,
						"the JWK's key type is not one TokenKit signs with (RSA, EC on P-256, OKP Ed25519)",
						"Use an RSA, a P-256 EC or an Ed25519 key.");
			}
			requireSigning(jwk, property, location);
			PrivateKey key = KeyFactory.getInstance(factory).generatePrivate(spec);
			return new LoadedKey(key, text(jwk, "kid"), text(jwk, "alg"), property, location);
		}
		catch (InvalidTokenKitPropertyException ex) {
			throw ex;
		}
		catch (RuntimeException | GeneralSecurityException ex) {
			// never the parser's message: it may quote the key
			throw new InvalidTokenKitPropertyException(property, location,
					"the file is not a JWK with a private part (" + ex.getClass().getSimpleName() + ")",
					"Point it at a JWK (JSON) that holds the private key's parameters (d), or at a PEM file.");
		}
	}

	private static void requireSigning(JsonNode jwk, String property, String location) {
		String use = text(jwk, "use");
		JsonNode operations = jwk.get("key_ops");
		boolean signs = true;
		if (operations != null && operations.isArray()) {
			signs = false;
			for (JsonNode operation : operations) {
				signs |= operation.isString() && "sign".equals(operation.asString());
			}
		}
		if ((use != null && !"sig".equals(use)) || !signs) {
			throw new InvalidTokenKitPropertyException(property, location,
					"the JWK is not for signing (its use is not sig, or its key_ops lack sign)",
					"Point it at the client's signing key, or correct the JWK's use or key_ops.");
		}
	}

	private static @Nullable String text(JsonNode jwk, String field) {
		JsonNode value = jwk.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static BigInteger number(JsonNode jwk, String field) {
		return new BigInteger(1, bytes(jwk, field));
	}

	private static byte[] bytes(JsonNode jwk, String field) {
		String value = text(jwk, field);
		if (value == null) {
			throw new IllegalArgumentException("missing " + field);
		}
		return Base64.getUrlDecoder().decode(value);
	}

	/**
	 * A private key and what it was read from.
	 *
	 * @param privateKey the key
	 * @param keyId the key id it came with, or {@code null}
	 * @param jwkAlgorithm the {@code alg} of its JWK, or {@code null}
	 * @param property the property that configured it
	 * @param value the property's value
	 */
	record LoadedKey(PrivateKey privateKey, @Nullable String keyId, @Nullable String jwkAlgorithm, String property,
			String value) {

		@Override
		public String toString() {
			return "LoadedKey[property=" + this.property + "]";
		}

	}

}
