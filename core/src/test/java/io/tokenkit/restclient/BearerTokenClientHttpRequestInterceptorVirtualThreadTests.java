package io.tokenkit.restclient;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interceptor's single-flight guarantees with 1,000 virtual threads, and no virtual
 * thread pinned while it waits. Runs on a JDK 21+ in its own Surefire execution
 * ({@code virtual-threads}, with {@code -Djdk.tracePinnedThreads=full}), while the
 * library is compiled for 17: virtual threads are made by reflection. Pinning is checked
 * twice: no stack trace printed by {@code jdk.tracePinnedThreads} (JDK 21 to 23), and no
 * {@code jdk.VirtualThreadPinned} JFR event (every JDK 21+, also where
 * {@code synchronized} no longer pins and the property is gone).
 */
@ExtendWith(OutputCaptureExtension.class)
class BearerTokenClientHttpRequestInterceptorVirtualThreadTests extends InterceptorConcurrencyScenarios {

	private static Method unstarted;

	private static Object virtualThreads;

	private Recording recording;

	private CapturedOutput output;

	@BeforeAll
	static void virtualThreads() throws Exception {
		assertThat(Runtime.version().feature())
			.as("the virtual-thread tests run on a JDK 21+ (tokenkit.vt.jvm), not on %s", Runtime.version())
			.isGreaterThanOrEqualTo(21);
		virtualThreads = Thread.class.getMethod("ofVirtual").invoke(null);
		unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
		warmUp();
	}

	@BeforeEach
	void recordPinning(CapturedOutput output) {
		this.output = output;
		this.recording = new Recording();
		this.recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
		this.recording.start();
	}

	@AfterEach
	void noPinning() throws Exception {
		this.recording.stop();
		Path file = Files.createTempFile("tokenkit-pinning", ".jfr");
		try {
			this.recording.dump(file);
			List<String> pinnings = RecordingFile.readAllEvents(file)
				.stream()
				.filter((event) -> event.getEventType().getName().equals("jdk.VirtualThreadPinned"))
				.map(BearerTokenClientHttpRequestInterceptorVirtualThreadTests::describe)
				.toList();
			assertThat(pinnings).as("jdk.VirtualThreadPinned events").isEmpty();
		}
		finally {
			this.recording.close();
			Files.deleteIfExists(file);
		}
		assertThat(this.output.getAll()).as("jdk.tracePinnedThreads output")
			.doesNotContain("onPinned")
			.doesNotContain("<== monitors");
	}

	@Override
	int threads() {
		return 1000;
	}

	@Override
	Thread newThread(Runnable task) {
		try {
			return (Thread) unstarted.invoke(virtualThreads, task);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String describe(RecordedEvent event) {
		return event.toString();
	}

}
