package io.tokenkit.docs;

import java.io.IOException;
import java.net.ServerSocket;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.health.TokenKitHealthContributorAutoConfiguration;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@code management.*} example of docs/observability-and-health.md
 * ({@code management.yml} beside this class): the endpoints it exposes, the root health
 * endpoint that includes {@code tokenkit} (so a failing registration turns it
 * {@code DOWN}), and the health groups a load balancer's probe can use instead, which do
 * not.
 */
class ManagementSettingsExampleTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
				TokenKitHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, MetricsEndpointAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class))
		.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(managementSettings()));

	@Test
	void rootHealthIncludesTokenkitAndTheLoadBalancerGroupsDoNot() throws IOException {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=http://127.0.0.1:" + closedPort() + "/oauth2/token",
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=s3cret", "tokenkit.token-calls.max-retries=0")
			.run((context) -> {
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				TokenManager tokens = context.getBean(TokenManager.class);
				tokens.getToken(TokenKey.of("orders")).onErrorComplete().block();
				HealthEndpoint health = context.getBean(HealthEndpoint.class);

				HealthDescriptor root = health.health();
				assertThat(root.getStatus()).isEqualTo(Status.DOWN);
				assertThat(((CompositeHealthDescriptor) root).getComponents()).containsKey("tokenkit");
				HealthDescriptor loadBalancer = health.healthForPath("load-balancer");
				assertThat(loadBalancer.getStatus()).isEqualTo(Status.UP);
				assertThat(((CompositeHealthDescriptor) loadBalancer).getComponents()).isNotEmpty()
					.doesNotContainKey("tokenkit");
				assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
				assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void exposesHealthMetricsAndPrometheusOverHttp() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=static-token")
			.run((context) -> {
				PathMappedEndpoints endpoints = context.getBean(PathMappedEndpoints.class);
				assertThat(endpoints.getPath(EndpointId.of("health"))).isEqualTo("/actuator/health");
				assertThat(endpoints.getPath(EndpointId.of("metrics"))).isEqualTo("/actuator/metrics");
				assertThat(endpoints.getPath(EndpointId.of("prometheus"))).isEqualTo("/actuator/prometheus");
			});
	}

	private static PropertySource<?> managementSettings() {
		try {
			return new YamlPropertySourceLoader()
				.load("management.yml", new ClassPathResource("management.yml", ManagementSettingsExampleTests.class))
				.get(0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
