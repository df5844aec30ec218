package io.tokenkit.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Imports {@link OrdersApiClient} into the HTTP service group {@code orders}, backed by a
 * {@code WebClient} because the sample is reactive (Boot's default group client is a
 * {@code RestClient}).
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "orders", types = OrdersApiClient.class,
		clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
class OrdersHttpServiceConfiguration {

}
