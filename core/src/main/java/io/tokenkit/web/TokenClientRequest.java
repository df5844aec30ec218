package io.tokenkit.web;

import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * A {@link ClientRequest} that is another request plus the headers a
 * {@link TokenAuthorizer} sets for a token, without copying the other request. The
 * authorizer is called once, when the request is made, into headers of their own, which
 * both {@link #writeTo} and {@link #headers()} put on top of the request's.
 * <p>
 * {@code ClientRequest.from(request).header(..).build()} copies every header, cookie and
 * attribute of the request (about 1 KB per request). This view copies nothing on the way
 * to the wire: {@link #writeTo} lets the original request write itself, then sets the
 * authorizer's headers in a
 * {@link ClientHttpRequest#beforeCommit(java.util.function.Supplier) before-commit
 * action}, so that they replace headers of the same name as
 * {@code ClientRequest.Builder#header} would. {@link #headers()} shows them too, for
 * filters and exchange functions that read them; that copy is made only when someone
 * asks.
 */
final class TokenClientRequest implements ClientRequest {

	private final ClientRequest delegate;

	/** The headers the authorizer set for this send: it is asked once per send. */
	private final HttpHeaders authorization;

	private volatile @Nullable HttpHeaders headers;

	TokenClientRequest(ClientRequest delegate, TokenAuthorizer authorizer, AccessToken token) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(authorizer, "authorizer must not be null");
		Assert.notNull(token, "token must not be null");
		this.delegate = delegate;
		this.authorization = new HttpHeaders();
		authorizer.authorize(token, delegate.method(), delegate.url(), this.authorization);
	}

	@Override
	public HttpMethod method() {
		return this.delegate.method();
	}

	@Override
	public URI url() {
		return this.delegate.url();
	}

	@Override
	public HttpHeaders headers() {
		HttpHeaders result = this.headers;
		if (result == null) {
			HttpHeaders copy = new HttpHeaders();
			copy.addAll(this.delegate.headers());
			copy.putAll(this.authorization);
			result = HttpHeaders.readOnlyHttpHeaders(copy);
			this.headers = result;
		}
		return result;
	}

	@Override
	public MultiValueMap<String, String> cookies() {
		return this.delegate.cookies();
	}

	@Override
	public BodyInserter<?, ? super ClientHttpRequest> body() {
		return this.delegate.body();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.delegate.attributes();
	}

	@Override
	public Consumer<ClientHttpRequest> httpRequest() {
		return this.delegate.httpRequest();
	}

	@Override
	public String logPrefix() {
		return this.delegate.logPrefix();
	}

	@Override
	public Mono<Void> writeTo(ClientHttpRequest request, ExchangeStrategies strategies) {
		request.beforeCommit(() -> {
			request.getHeaders().putAll(this.authorization);
			return Mono.empty();
		});
		return this.delegate.writeTo(request, strategies);
	}

}
