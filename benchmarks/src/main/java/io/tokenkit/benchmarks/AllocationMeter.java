package io.tokenkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Bytes allocated per call of a step on the calling thread, from
 * {@code ThreadMXBean.getThreadAllocatedBytes}: a count that the load of other processes
 * does not change, unlike time.
 */
final class AllocationMeter {

	private static final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static Object sink;

	private AllocationMeter() {
	}

	/**
	 * Run the step {@code warmup} times, then measure {@code measured} calls.
	 * @param step the step; its result is kept so that it is not optimised away
	 * @param warmup the calls before measuring
	 * @param measured the calls measured
	 * @return the mean bytes allocated per measured call
	 */
	static double bytesPerCall(Supplier<Object> step, int warmup, int measured) {
		for (int i = 0; i < warmup; i++) {
			sink = step.get();
		}
		long thread = Thread.currentThread().getId();
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < measured; i++) {
			sink = step.get();
		}
		long after = threads.getThreadAllocatedBytes(thread);
		return (after - before) / (double) measured;
	}

}
