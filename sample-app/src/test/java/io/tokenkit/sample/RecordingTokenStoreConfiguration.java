package io.tokenkit.sample;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Replaces TokenKit's token store with a {@link RecordingTokenStore} (the application's
 * bean wins over the auto-configured one).
 */
@TestConfiguration(proxyBeanMethods = false)
class RecordingTokenStoreConfiguration {

	@Bean
	RecordingTokenStore recordingTokenStore() {
		return new RecordingTokenStore();
	}

}
