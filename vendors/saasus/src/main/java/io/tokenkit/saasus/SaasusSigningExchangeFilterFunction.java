package io.tokenkit.saasus;

import java.util.Map;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Signs each SaaSus API request with a {@link SaasusRequestSigner}: sets
 * {@code Authorization: SAASUSSIGV1 Sig=…, SaaSID=…, APIKey=…} computed over the
 * request's final URL and body.
 * <p>
 * A filter only sees a body inserter, not the bytes it will write, so a request with a
 * body passes its bytes as the {@link #body(byte[]) body attribute} instead of a body
 * inserter: this filter signs those bytes and writes exactly them, with their
 * {@code Content-Length}. A request that carries a body inserter but no body attribute is
 * refused rather than sent with a signature that cannot match. Add this filter last, so
 * that it sees the URL as it goes on the wire; the signature is computed when the request
 * is sent, so a resubscribed (retried) request is signed afresh.
 */
public final class SaasusSigningExchangeFilterFunction implements ExchangeFilterFunction {

	/** The request attribute that holds the body bytes to sign and send. */
	public static final String BODY_ATTRIBUTE = SaasusSigningExchangeFilterFunction.class.getName() + ".body";

	private static final byte[] NO_BODY = new byte[0];

	private final SaasusRequestSigner signer;

	/**
	 * Create a filter.
	 * @param signer the signer
	 */
	public SaasusSigningExchangeFilterFunction(SaasusRequestSigner signer) {
		Assert.notNull(signer, "signer must not be null");
		this.signer = signer;
	}

	/**
	 * Return a request attributes customizer that sets the body to sign and send, for
	 * {@code WebClient.RequestBodySpec#attributes(Consumer)}.
	 * @param body the exact body bytes
	 * @return the attributes customizer
	 */
	public static Consumer<Map<String, Object>> body(byte[] body) {
		Assert.notNull(body, "body must not be null");
		return (attributes) -> attributes.put(BODY_ATTRIBUTE, body);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		Object attribute = request.attribute(BODY_ATTRIBUTE).orElse(null);
		byte[] body;
		if (attribute instanceof byte[] bytes) {
			body = bytes;
		}
		else if (request.body() == BodyInserters.empty()) {
			body = NO_BODY;
		}
		else {
			return Mono.error(new IllegalStateException("A SaaSus request body must be passed as bytes with "
					+ "SaasusSigningExchangeFilterFunction.body(byte[]) so that the signed bytes are the bytes sent"));
		}
		String authorization = this.signer.authorization(request.method().name(), request.url(), body);
		ClientRequest.Builder signed = ClientRequest.from(request)
			.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, authorization));
		if (body.length > 0) {
			signed.body((message, context) -> {
				message.getHeaders().setContentLength(body.length);
				return message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body)));
			});
		}
		return next.exchange(signed.build());
	}

	@Override
	public String toString() {
		return "SaasusSigningExchangeFilterFunction[" + this.signer + "]";
	}

}
