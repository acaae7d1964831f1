package io.warden.brokersim.broker;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

/**
 * A broker's ZooKeeper session, re-created when it expires — Kafka's ZooKeeperClient: requests
 * that fail with ConnectionLoss are resent once connected again; when the session is gone (LOST)
 * the next request first builds a new session, so a long-paused thread that wakes up writes
 * through a fresh session (and is then stopped by the fencing, not by the session). Re-registering
 * and resigning after an expiry is the broker's job; {@code onLost} tells it, with the generation
 * of the session that ended.
 *
 * <p>Called only from the broker's executor, except {@link #abandon()} and the state getters.
 */
final class BrokerSession {
  /** A blocking call on the current client. */
  @FunctionalInterface
  interface Call<T> {
    T run(WardenClient client) throws WardenException, InterruptedException;
  }

  /** An asynchronous call on the current client, for {@link #pipeline}. */
  @FunctionalInterface
  interface AsyncCall<T> {
    CompletionStage<T> start(WardenClient client);
  }

  /** One pipelined call's answer: its value, or the error it ended with. */
  record Outcome<T>(T value, WardenException error) {
    ErrorCode code() {
      return error == null ? ErrorCode.OK : error.code();
    }
  }

  private final String name;
  private final BrokerConfig config;
  private final IntConsumer onLost;
  private final java.util.function.Consumer<ConnectionState> onState;
  private volatile WardenClient client;
  private volatile int generation;
  private volatile boolean abandoned;

  BrokerSession(String name, BrokerConfig config, IntConsumer onLost,
      java.util.function.Consumer<ConnectionState> onState) {
    this.name = name;
    this.config = config;
    this.onLost = onLost;
    this.onState = onState;
  }

  int generation() {
    return generation;
  }

  long sessionId() {
    WardenClient c = client;
    return c == null ? 0 : c.sessionId();
  }

  ConnectionState state() {
    WardenClient c = client;
    return c == null ? null : c.state();
  }

  /** How long a request keeps retrying through connection loss before giving up. */
  private Duration retryBudget() {
    return config.sessionTimeout().multipliedBy(4);
  }

  /** The current client, connected; a new session if the old one ended. */
  WardenClient ensure() throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + retryBudget().toNanos();
    while (true) {
      if (abandoned) {
        throw new WardenException(ErrorCode.SESSION_EXPIRED, null, name + " was stopped");
      }
      WardenClient c = client;
      if (c == null || c.state() != null && c.state().isTerminal()) {
        c = replace();
      }
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        throw new WardenException(ErrorCode.CONNECTION_LOSS, null,
            name + " could not reach the ensemble within " + retryBudget().toMillis() + " ms");
      }
      try {
        if (c.awaitConnected(Duration.ofNanos(leftNanos))) {
          return c;
        }
      } catch (WardenException ended) {
        // the client ended (LOST) while we waited: loop and build the next session
      }
    }
  }

  /** Runs {@code call}, resending it after ConnectionLoss and across a session re-creation. */
  <T> T call(Call<T> call) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + retryBudget().toNanos();
    while (true) {
      WardenClient c = ensure();
      try {
        return call.run(c);
      } catch (WardenException e) {
        if (!retriable(e.code()) || System.nanoTime() > deadline || abandoned) {
          throw e;
        }
      }
    }
  }

  /**
   * Kafka's ZooKeeperClient.handleRequests: sends every call with at most {@code
   * maxInFlightRequests} outstanding, waits for all the answers, and resends the ones that failed
   * with ConnectionLoss (or with the session) once connected again — {@link #call}'s retry rule
   * applied to a batch. A controller loading 100,000 partition states one round trip at a time
   * would take minutes; pipelined it takes seconds, as in Kafka. Outcomes come in call order.
   */
  <T> List<Outcome<T>> pipeline(List<AsyncCall<T>> calls) throws WardenException, InterruptedException {
    List<Outcome<T>> out = new ArrayList<>(java.util.Collections.nCopies(calls.size(), null));
    List<Integer> todo = java.util.stream.IntStream.range(0, calls.size()).boxed().toList();
    long deadline = System.nanoTime() + retryBudget().toNanos();
    while (!todo.isEmpty()) {
      WardenClient c = ensure();
      AtomicReferenceArray<Outcome<T>> answers = new AtomicReferenceArray<>(calls.size());
      Semaphore window = new Semaphore(config.maxInFlightRequests());
      CountDownLatch answered = new CountDownLatch(todo.size());
      for (int i : todo) {
        window.acquire();
        CompletionStage<T> stage;
        try {
          stage = calls.get(i).start(c);
        } catch (IllegalStateException closed) { // the client was closed under us (a kill)
          stage = java.util.concurrent.CompletableFuture.failedFuture(
              new WardenException(ErrorCode.SESSION_EXPIRED, null, name + " was stopped"));
        }
        stage.whenComplete((v, t) -> {
          answers.set(i, new Outcome<>(v, t == null ? null : asWardenException(t)));
          window.release();
          answered.countDown();
        });
      }
      answered.await();
      List<Integer> again = new ArrayList<>();
      for (int i : todo) {
        Outcome<T> o = answers.get(i);
        if (o.error() != null && retriable(o.code()) && System.nanoTime() < deadline && !abandoned) {
          again.add(i);
        } else {
          out.set(i, o);
        }
      }
      todo = again;
    }
    return out;
  }

  private WardenException asWardenException(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause instanceof WardenException w ? w
        : new WardenException(ErrorCode.SYSTEM_ERROR, null, name + ": " + cause);
  }

  private static boolean retriable(ErrorCode code) {
    return code == ErrorCode.CONNECTION_LOSS || code == ErrorCode.SESSION_EXPIRED
        || code == ErrorCode.REQUEST_TIMEOUT || code == ErrorCode.OPERATION_TIMEOUT;
  }

  private synchronized WardenClient replace() {
    WardenClient old = client;
    if (old != null && !(old.state() != null && old.state().isTerminal())) {
      return old;
    }
    if (old != null) {
      old.closeAsync(); // already LOST: releases its threads, sends nothing
    }
    int gen = ++generation;
    WardenClient c = WardenClient.builder(config.connectString())
        .sessionTimeout(config.sessionTimeout())
        .stateListener(s -> {
          onState.accept(s);
          if (s == ConnectionState.LOST) {
            onLost.accept(gen);
          }
        })
        .build();
    client = c;
    return c;
  }

  /**
   * Forgets the session (a crash): behind a relay it is left for the ensemble to expire; without
   * one the close reaches the ensemble (see FleetConfig#relayed).
   */
  void abandon() {
    abandoned = true;
    WardenClient c = client;
    if (c != null) {
      // Behind a relay the link is already cut, so closeSession cannot reach the ensemble and
      // this only stops the client's threads; a broker connected straight to the ensemble (a
      // direct fleet) closes its session here.
      c.closeAsync();
    }
  }

  /** Closes the session cleanly: the ensemble deletes its ephemerals at once. */
  void close() {
    abandoned = true;
    WardenClient c = client;
    if (c != null) {
      c.close();
    }
  }
}
