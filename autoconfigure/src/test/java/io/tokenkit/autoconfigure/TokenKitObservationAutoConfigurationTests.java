package io.tokenkit.autoconfigure;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.observation.DefaultTokenRequestObservationConvention;
import io.tokenkit.observation.MicrometerTokenEventListener;
import io.tokenkit.observation.TokenRequestObservationContext;
import io.tokenkit.observation.TokenRequestObservationConvention;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link TokenKitObservationAutoConfiguration}: an observer of token calls with
 * an {@code ObservationRegistry}, a meter listener with a {@code MeterRegistry}, user
 * beans and conventions taking precedence, and
 * {@code tokenkit.observations.enabled=false} switching both off.
 */
class TokenKitObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenKitObservationAutoConfiguration.class));

	@Test
	void observerWhenObservationRegistryThenTokenCallsAreObserved() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			assertThat(context).hasSingleBean(TokenRequestObserver.class);
			observeOneCall(context.getBean(TokenRequestObserver.class));
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo(DefaultTokenRequestObservationConvention.DEFAULT_NAME)
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("registration", "orders")
				.hasLowCardinalityKeyValue("operation", "acquire")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS");
		});
	}

	@Test
	void observerWhenBootsObservationAutoConfigurationThenConfiguredAfterIt() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(ObservationRegistry.class)
				.hasSingleBean(TokenRequestObserver.class));
	}

	@Test
	void observerWhenNoObservationRegistryThenNone() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TokenRequestObserver.class));
	}

	@Test
	void observerWhenUserConventionThenItNamesAndTagsTheObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			.withUserConfiguration(UserConvention.class)
			.run((context) -> {
				observeOneCall(context.getBean(TokenRequestObserver.class));
				TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("app.token.calls")
					.that()
					.hasLowCardinalityKeyValue("team", "payments");
				TestObservationRegistryAssert.assertThat(registry)
					.hasNumberOfObservationsWithNameEqualTo(DefaultTokenRequestObservationConvention.DEFAULT_NAME, 0);
			});
	}

	@Test
	void observerWhenUserObserverThenAutoConfiguredOneBacksOff() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withUserConfiguration(UserObserver.class)
			.run((context) -> assertThat(context).getBean(TokenRequestObserver.class)
				.isSameAs(context.getBean(UserObserver.class).observer));
	}

	@Test
	void meterListenerWhenMeterRegistryThenCountsInIt() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(MicrometerTokenEventListener.class);
			context.getBean(MicrometerTokenEventListener.class).cacheHit("orders");
			assertThat(context.getBean(MeterRegistry.class)
				.get(MicrometerTokenEventListener.CACHE_METER)
				.tag("registration", "orders")
				.tag("result", "hit")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void meterListenerWhenBootsMetricsAutoConfigurationThenConfiguredAfterIt() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(MicrometerTokenEventListener.class));
	}

	@Test
	void meterListenerWhenNoMeterRegistryThenNone() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MicrometerTokenEventListener.class));
	}

	@Test
	void meterListenerWhenMicrometerCoreAbsentThenNone() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> assertThat(context).doesNotHaveBean(MicrometerTokenEventListener.class)
				.hasSingleBean(TokenRequestObserver.class));
	}

	@Test
	void meterListenerWhenUserListenerThenAutoConfiguredOneBacksOff() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(UserMeterListener.class)
			.run((context) -> assertThat(context).getBean(MicrometerTokenEventListener.class)
				.isSameAs(context.getBean(UserMeterListener.class).listener));
	}

	@Test
	void autoConfigurationWhenObservationsDisabledThenNeitherObserverNorMeterListener() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("tokenkit.observations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenRequestObserver.class)
				.doesNotHaveBean(MicrometerTokenEventListener.class));
	}

	private static void observeOneCall(TokenRequestObserver observer) {
		String result = observer.observe("oauth2", "orders", "acquire", (call) -> {
			call.setStatus(200);
			return Mono.just("token");
		}).block();
		assertThat(result).isEqualTo("token");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserConvention {

		@Bean
		TokenRequestObservationConvention userTokenRequestObservationConvention() {
			return new TokenRequestObservationConvention() {

				@Override
				public String getName() {
					return "app.token.calls";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(TokenRequestObservationContext context) {
					return KeyValues.of(KeyValue.of("team", "payments"));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserObserver {

		final TokenRequestObserver observer = new TokenRequestObserver(ObservationRegistry.NOOP, null);

		@Bean
		TokenRequestObserver userTokenRequestObserver() {
			return this.observer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMeterListener {

		final MicrometerTokenEventListener listener = new MicrometerTokenEventListener(new SimpleMeterRegistry());

		@Bean
		MicrometerTokenEventListener userMicrometerTokenEventListener() {
			return this.listener;
		}

	}

}
