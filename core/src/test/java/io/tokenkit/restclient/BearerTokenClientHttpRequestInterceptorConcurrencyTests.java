package io.tokenkit.restclient;

/**
 * The interceptor's single-flight guarantees with 200 platform threads: one token call
 * when none is cached, one when it expired, one refresh for 200 concurrent {@code 401}s.
 */
class BearerTokenClientHttpRequestInterceptorConcurrencyTests extends InterceptorConcurrencyScenarios {

	@Override
	int threads() {
		return 200;
	}

	@Override
	Thread newThread(Runnable task) {
		return new Thread(task);
	}

}
