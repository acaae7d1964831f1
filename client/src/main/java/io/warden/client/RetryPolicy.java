package io.warden.client;

import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When to try an operation again after a transient failure: exponential backoff (base delay
 * doubled per retry, capped), bounded by a number of retries and by the total time spent. Set on
 * the client with {@link WardenClient.Builder#retryPolicy}; the client itself never retries a
 * request (a write whose reply was lost may have been applied), the recipes and callers do, with
 * {@link #call}, for operations they know to be idempotent or can check.
 *
 * <p>Transient means ConnectionLoss, OperationTimeout and RequestTimeout: the server may or may not
 * have applied the request and the session is still alive. SessionExpired, NoNode, BadVersion and
 * every other code are final answers and are never retried.
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = new RetryPolicy(0, 0, 0, 0);
  private final long baseDelayMs;
  private final long maxDelayMs;
  private final int maxRetries;
  private final long maxElapsedMs;

  private RetryPolicy(long baseDelayMs, long maxDelayMs, int maxRetries, long maxElapsedMs) {
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.maxRetries = maxRetries;
    this.maxElapsedMs = maxElapsedMs;
  }

  /** Never retry: the first failure is the answer. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Retry after {@code baseDelay}, then twice that, and so on up to {@code maxDelay} per wait, at
   * most {@code maxRetries} times and not once {@code maxElapsed} has passed since the first
   * attempt. Each wait is jittered down by up to half, so clients cut off together do not come
   * back together.
   */
  public static RetryPolicy exponentialBackoff(Duration baseDelay, Duration maxDelay,
      int maxRetries, Duration maxElapsed) {
    long base = millis(baseDelay, "baseDelay");
    long max = millis(maxDelay, "maxDelay");
    if (max < base) {
      throw new IllegalArgumentException("maxDelay " + maxDelay + " < baseDelay " + baseDelay);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
    return new RetryPolicy(base, max, maxRetries, millis(maxElapsed, "maxElapsed"));
  }

  /** The default: 50 ms doubling to 1 s, at most 20 retries within 30 s (a session's worth). */
  public static RetryPolicy standard() {
    return exponentialBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), 20,
        Duration.ofSeconds(30));
  }

  /** True for the codes worth retrying: the outcome is unknown and the session is alive. */
  public static boolean isTransient(ErrorCode code) {
    return code == ErrorCode.CONNECTION_LOSS || code == ErrorCode.OPERATION_TIMEOUT
        || code == ErrorCode.REQUEST_TIMEOUT;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first retry), without jitter, or -1 when
   * the policy gives up (too many retries, or {@code elapsedMs} since the first attempt too long).
   */
  public long delayMs(int retry, long elapsedMs) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry counts from 1, was " + retry);
    }
    if (retry > maxRetries || elapsedMs >= maxElapsedMs) {
      return -1;
    }
    int doublings = Math.min(retry - 1, 30);
    return Math.min(maxDelayMs, baseDelayMs << doublings);
  }

  /** An operation for {@link #call}. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws WardenException, InterruptedException;
  }

  /**
   * Runs {@code attempt}, and again after a backoff while it fails with a transient code and the
   * policy allows. Use it only for idempotent attempts (reads, deletes whose NoNode you accept,
   * creates you can find again). Blocks the calling thread during the waits; the last failure is
   * thrown as it was.
   */
  public <T> T call(Attempt<T> attempt) throws WardenException, InterruptedException {
    long startNanos = System.nanoTime();
    for (int retry = 1; ; retry++) {
      try {
        return attempt.run();
      } catch (WardenException e) {
        if (!isTransient(e.code())) {
          throw e;
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        long delayMs = delayMs(retry, elapsedMs);
        if (delayMs < 0) {
          throw e;
        }
        long jitteredMs = delayMs / 2 + ThreadLocalRandom.current().nextLong(delayMs / 2 + 1);
        Thread.sleep(jitteredMs); // a backoff, not synchronisation
      }
    }
  }

  @Override
  public String toString() {
    return this == NONE ? "RetryPolicy[none]" : "RetryPolicy[base=" + baseDelayMs + "ms, max="
        + maxDelayMs + "ms, retries=" + maxRetries + ", elapsed=" + maxElapsedMs + "ms]";
  }

  private static long millis(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d.toMillis();
  }
}
