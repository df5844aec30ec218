package io.tokenkit.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key stores for tests, made at test time by the JDK's {@code keytool} (run from
 * {@code java.home}) in a temporary directory: PKCS#12 stores of a self-signed key pair,
 * of a key pair whose certificate a test CA issued, and trust stores; and PEM files of a
 * store's key and certificate. Nothing is committed, and every store's password is
 * {@link #PASSWORD}.
 */
final class TestKeystores {

	static final String PASSWORD = "changeit";

	private final Path directory;

	TestKeystores() {
		try {
			this.directory = Files.createTempDirectory("tokenkit-keys");
			this.directory.toFile().deleteOnExit();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Create a PKCS#12 store with one self-signed key pair.
	 * @param name the file name (without {@code .p12}) and the alias
	 * @param dname the subject, for example {@code CN=orders-app}
	 * @param keyOptions keytool's key options, for example
	 * {@code -keyalg RSA -keysize 2048}
	 * @return the store
	 */
	Path selfSigned(String name, String dname, String... keyOptions) {
		Path store = path(name + ".p12");
		List<String> command = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", dname, "-validity",
				"36500", "-ext", "SAN=dns:localhost,ip:127.0.0.1"));
		command.addAll(List.of(keyOptions));
		command.addAll(storeOptions(store));
		keytool(command);
		return store;
	}

	/**
	 * Create a PKCS#12 store with one key pair whose certificate the CA store's key
	 * issued.
	 * @param name the file name and the alias
	 * @param dname the subject
	 * @param ca a store made by {@link #selfSigned}, whose alias is its file name
	 * @return the store
	 */
	Path issuedBy(String name, String dname, Path ca) {
		Path store = selfSigned(name, dname, "-keyalg", "RSA", "-keysize", "2048");
		String caAlias = alias(ca);
		Path request = path(name + ".csr");
		Path certificate = path(name + ".crt");
		keytool(concat(List.of("-certreq", "-alias", name, "-file", request.toString()), storeOptions(store)));
		keytool(concat(List.of("-gencert", "-alias", caAlias, "-infile", request.toString(), "-outfile",
				certificate.toString(), "-validity", "36500", "-ext", "KU=digitalSignature", "-ext", "EKU=clientAuth"),
				storeOptions(ca)));
		keytool(concat(
				List.of("-importcert", "-noprompt", "-alias", caAlias, "-file", exportCertificate(ca).toString()),
				storeOptions(store)));
		keytool(concat(List.of("-importcert", "-alias", name, "-file", certificate.toString()), storeOptions(store)));
		return store;
	}

	/**
	 * Create a PKCS#12 trust store of the certificates of other stores.
	 * @param name the file name
	 * @param stores stores made here, each with its certificate under its file name
	 * @return the trust store
	 */
	Path trustStore(String name, Path... stores) {
		Path trust = path(name + ".p12");
		for (Path store : stores) {
			keytool(concat(List.of("-importcert", "-noprompt", "-alias", alias(store), "-file",
					exportCertificate(store).toString()), storeOptions(trust)));
		}
		return trust;
	}

	/**
	 * Create a PKCS#12 store with the key entries of other stores, each under its alias.
	 * @param name the file name
	 * @param stores stores made here, each with its key pair under its file name
	 * @return the store
	 */
	Path keyStore(String name, Path... stores) {
		try {
			char[] password = PASSWORD.toCharArray();
			KeyStore all = KeyStore.getInstance("PKCS12");
			all.load(null, null);
			for (Path store : stores) {
				KeyStore one = load(store);
				all.setKeyEntry(alias(store), one.getKey(alias(store), password), password,
						one.getCertificateChain(alias(store)));
			}
			Path path = path(name + ".p12");
			try (java.io.OutputStream out = Files.newOutputStream(path)) {
				all.store(out, password);
			}
			return path;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Write the private key of a store as an unencrypted PKCS#8 PEM file.
	 * @param store a store made here
	 * @return the PEM file
	 */
	Path privateKeyPem(Path store) {
		try {
			PrivateKey key = (PrivateKey) load(store).getKey(alias(store), PASSWORD.toCharArray());
			return write(alias(store) + "-key.pem", pem("PRIVATE KEY", key.getEncoded()));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Write the certificate of a store as a PEM file.
	 * @param store a store made here
	 * @return the PEM file
	 */
	Path certificatePem(Path store) {
		try {
			return write(alias(store) + "-cert.pem", pem("CERTIFICATE", certificate(store).getEncoded()));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the TLS context of a loopback server: its key pair from one store, the
	 * client certificates it trusts from a trust store.
	 * @param keyStore a store made here with the server's key pair
	 * @param trustStore a trust store made here
	 * @return the context
	 */
	static SSLContext serverContext(Path keyStore, Path trustStore) {
		try {
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(load(keyStore), PASSWORD.toCharArray());
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(load(trustStore));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the certificate of a store's key pair.
	 * @param store a store made here
	 * @return the certificate
	 */
	static X509Certificate certificate(Path store) {
		try {
			return (X509Certificate) load(store).getCertificate(alias(store));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the public key of a store's key pair.
	 * @param store a store made here
	 * @return the public key
	 */
	static PublicKey publicKey(Path store) {
		return certificate(store).getPublicKey();
	}

	/**
	 * Write a file in the directory.
	 * @param name the file name
	 * @param content its content
	 * @return the file
	 */
	Path write(String name, String content) {
		try {
			return Files.writeString(path(name), content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyStore load(Path store) throws Exception {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, PASSWORD.toCharArray());
		}
		return keyStore;
	}

	private Path exportCertificate(Path store) {
		Path file = path(alias(store) + "-export.crt");
		if (!Files.exists(file)) {
			keytool(concat(List.of("-exportcert", "-rfc", "-alias", alias(store), "-file", file.toString()),
					storeOptions(store)));
		}
		return file;
	}

	private static String alias(Path store) {
		String file = store.getFileName().toString();
		return file.substring(0, file.lastIndexOf('.'));
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private Path path(String name) {
		return this.directory.resolve(name);
	}

	private static List<String> storeOptions(Path store) {
		return List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass",
				PASSWORD);
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static void keytool(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool " + arguments.get(0) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
