package io.tokenkit.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The TokenKit sample application: a reactive service that uses TokenKit through
 * {@code application.yml} only, and shows each capability on plain HTTP endpoints
 * ({@code /demo/**}), a bank-connection web page ({@code /bank}), and Actuator
 * ({@code /actuator/health/tokenkit}, {@code /actuator/prometheus}).
 * <p>
 * With the default profile {@code local},
 * {@link io.tokenkit.sample.sandbox.StandInsInitializer} first starts local stand-ins of
 * every server it talks to; the package {@code io.tokenkit.sample.sandbox} is therefore
 * kept out of this application's component scan (the same scan as
 * {@code @SpringBootApplication}, plus that exclusion).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.REGEX, pattern = "io\\.tokenkit\\.sample\\.sandbox\\..*") })
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
