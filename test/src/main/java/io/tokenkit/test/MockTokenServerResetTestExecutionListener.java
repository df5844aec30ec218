package io.tokenkit.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets the {@link MockTokenServer} and {@link MockResourceServer} of a test's
 * application context after each test method, so that counts, records and scripts start
 * empty in the next; registered in {@code META-INF/spring.factories}.
 */
class MockTokenServerResetTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		context.getBeanProvider(MockTokenServer.class).ifAvailable(MockTokenServer::reset);
		context.getBeanProvider(MockResourceServer.class).ifAvailable(MockResourceServer::reset);
	}

}
