package io.tokenkit.saasus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.tokenkit.support.Sha256;

import org.springframework.util.Assert;

/**
 * Computes the SAASUSSIGV1 {@code Authorization} header that every SaaSus API call
 * carries: {@code SAASUSSIGV1 Sig=<hex>, SaaSID=<saas id>, APIKey=<api key>}, where
 * {@code Sig} is the lower-case hex HMAC-SHA256, keyed with the secret key, of the
 * concatenation (no separators) of
 * <ol>
 * <li>the current minute in UTC, {@code yyyyMMddHHmm}, taken from the {@link Clock};</li>
 * <li>the API key;</li>
 * <li>the upper-case HTTP method;</li>
 * <li>the host, then the raw path, then {@code ?} and the raw (encoded) query when there
 * is one;</li>
 * <li>the exact request body bytes, nothing for a request without a body.</li>
 * </ol>
 * <p>
 * <strong>Port.</strong> The reference leaves the port unsettled (SaaSus' "Getting
 * Started" page says "Host:Port/URI", the Go SDK signs whatever follows {@code //}, the
 * PHP SDK signs the {@code Host} header, the Java SDK the host name only). This signer
 * signs what the {@code Host} request header carries: {@code host:port} when the URL
 * names a port other than its scheme's default, the host alone otherwise
 * ({@code https://api.saasus.io/...} and {@code https://api.saasus.io:443/...} both sign
 * {@code api.saasus.io/...}; {@code http://127.0.0.1:8089/...} signs
 * {@code 127.0.0.1:8089/...}). All SDKs agree for the production URL, which has no port.
 * <p>
 * The secret key is never sent, logged or shown by {@link #toString()}.
 */
public final class SaasusRequestSigner {

	/** The scheme word of the {@code Authorization} header. */
	public static final String SCHEME = "SAASUSSIGV1";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
		.withZone(ZoneOffset.UTC);

	private final String saasId;

	private final String apiKey;

	private final Sha256.Hmac secretKey;

	private final Clock clock;

	/**
	 * Create a signer.
	 * @param saasId the SaaS ID
	 * @param apiKey the API key
	 * @param secretKey the secret key (the HMAC key; never sent)
	 * @param clock the clock that gives the signature's timestamp
	 */
	public SaasusRequestSigner(String saasId, String apiKey, String secretKey, Clock clock) {
		Assert.hasText(saasId, "saasId must not be empty");
		Assert.hasText(apiKey, "apiKey must not be empty");
		Assert.hasText(secretKey, "secretKey must not be empty");
		Assert.notNull(clock, "clock must not be null");
		this.saasId = saasId;
		this.apiKey = apiKey;
		this.secretKey = Sha256.hmac(secretKey.getBytes(StandardCharsets.UTF_8));
		this.clock = clock;
	}

	/**
	 * Return the SaaS ID.
	 * @return the SaaS ID
	 */
	public String getSaasId() {
		return this.saasId;
	}

	/**
	 * Return the API key.
	 * @return the API key
	 */
	public String getApiKey() {
		return this.apiKey;
	}

	/**
	 * Compute the {@code Authorization} header value of a request at the clock's current
	 * minute.
	 * @param method the HTTP method
	 * @param uri the exact URI sent, query encoded as on the wire
	 * @param body the exact body bytes sent, empty for none
	 * @return the header value
	 */
	public String authorization(String method, URI uri, byte[] body) {
		Assert.hasText(method, "method must not be empty");
		Assert.notNull(uri, "uri must not be null");
		Assert.notNull(body, "body must not be null");
		String signature = this.secretKey
			.hex(message(timestamp(this.clock.instant()), this.apiKey, method, signedUrl(uri), body));
		return header(signature, this.saasId, this.apiKey);
	}

	/**
	 * Compute a signature from its parts, for tests and diagnostics.
	 * @param secretKey the secret key
	 * @param timestamp the minute in UTC, {@code yyyyMMddHHmm}
	 * @param apiKey the API key
	 * @param method the HTTP method
	 * @param signedUrl the host (with port, if any), path and query, as
	 * {@link #signedUrl(URI)} gives
	 * @param body the body bytes
	 * @return the lower-case hex signature
	 */
	public static String signature(String secretKey, String timestamp, String apiKey, String method, String signedUrl,
			byte[] body) {
		return Sha256.hmac(secretKey.getBytes(StandardCharsets.UTF_8))
			.hex(message(timestamp, apiKey, method, signedUrl, body));
	}

	/**
	 * Format the {@code Authorization} header value.
	 * @param signature the hex signature
	 * @param saasId the SaaS ID
	 * @param apiKey the API key
	 * @return {@code SAASUSSIGV1 Sig=<signature>, SaaSID=<saas id>, APIKey=<api key>}
	 */
	public static String header(String signature, String saasId, String apiKey) {
		return SCHEME + " Sig=" + signature + ", SaaSID=" + saasId + ", APIKey=" + apiKey;
	}

	/**
	 * Format the signature timestamp of an instant: its minute in UTC,
	 * {@code yyyyMMddHHmm}.
	 * @param instant the instant
	 * @return the timestamp
	 */
	public static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	/**
	 * Return the URL part of the signed message: host, {@code :port} when it is not the
	 * scheme's default, raw path, and {@code ?} with the raw query when there is one.
	 * @param uri an absolute URI
	 * @return the signed URL part, for example
	 * {@code api.saasus.io/v1/auth/credentials?code=X&auth-flow=tempCodeAuth}
	 */
	public static String signedUrl(URI uri) {
		Assert.isTrue(uri.isAbsolute() && uri.getHost() != null, "uri must be absolute with a host");
		StringBuilder url = new StringBuilder(uri.getHost());
		int port = uri.getPort();
		if (port != -1 && port != defaultPort(uri.getScheme())) {
			url.append(':').append(port);
		}
		String path = uri.getRawPath();
		if (path != null) {
			url.append(path);
		}
		String query = uri.getRawQuery();
		if (query != null) {
			url.append('?').append(query);
		}
		return url.toString();
	}

	private static int defaultPort(String scheme) {
		return switch (scheme.toLowerCase(Locale.ROOT)) {
			case "http" -> 80;
			case "https" -> 443;
			default -> -1;
		};
	}

	private static byte[] message(String timestamp, String apiKey, String method, String signedUrl, byte[] body) {
		byte[] head = (timestamp + apiKey + method.toUpperCase(Locale.ROOT) + signedUrl)
			.getBytes(StandardCharsets.UTF_8);
		byte[] message = new byte[head.length + body.length];
		System.arraycopy(head, 0, message, 0, head.length);
		System.arraycopy(body, 0, message, head.length, body.length);
		return message;
	}

	@Override
	public String toString() {
		return "SaasusRequestSigner[saasId=" + this.saasId + ", apiKey=[REDACTED], secretKey=[REDACTED]]";
	}

}
