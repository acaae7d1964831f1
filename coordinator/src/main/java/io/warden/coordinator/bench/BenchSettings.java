package io.warden.coordinator.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * One load run, validated when built so that a bad value fails before any connection is made.
 *
 * @param connect      host:port[,host:port...], as for any ZooKeeper client
 * @param op           what each request does
 * @param readRatio    for {@link BenchOp#MIXED}: the fraction of requests that are gets
 * @param clients      sessions, each with its own connection
 * @param inflight     requests each session keeps outstanding
 * @param valueBytes   size of every value written
 * @param znodes       nodes pre-created for set/get/exists/multi/mixed
 * @param duration     the measured interval
 * @param warmup       requests before the measured interval, not counted
 * @param connectTimeout how long every session may take to connect
 * @param keep         leave the run's nodes in place (default: delete them afterwards)
 * @param pin          session i connects only to the (i mod H)-th listed server, so sessions
 *                     spread evenly and reproducibly (no failover); otherwise every session gets
 *                     the whole list and picks at random, as ZooKeeper clients do
 */
public record BenchSettings(String connect, BenchOp op, double readRatio, int clients,
    int inflight, int valueBytes, int znodes, Duration duration, Duration warmup,
    Duration connectTimeout, boolean keep, boolean pin) {
  /** Larger values are refused by ZooKeeper's default jute.maxbuffer anyway. */
  static final int MAX_VALUE_BYTES = 1_000_000;
  /** Sessions cost a thread pair each in the client; beyond this the tool measures itself. */
  static final int MAX_CLIENTS = 4096;

  public BenchSettings {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(op, "op");
    require(!connect.isBlank(), "--connect must name at least one host:port");
    require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be within 0..1, was " + readRatio);
    require(clients >= 1 && clients <= MAX_CLIENTS,
        "--clients must be within 1.." + MAX_CLIENTS + ", was " + clients);
    require(inflight >= 1, "--inflight must be >= 1, was " + inflight);
    require(valueBytes >= 0 && valueBytes <= MAX_VALUE_BYTES,
        "--size must be within 0.." + MAX_VALUE_BYTES + ", was " + valueBytes);
    require(znodes >= 1, "--znodes must be >= 1, was " + znodes);
    require(!duration.isNegative() && !duration.isZero(), "--duration must be > 0");
    require(!warmup.isNegative(), "--warmup must be >= 0");
    require(!connectTimeout.isNegative() && !connectTimeout.isZero(),
        "--connect-timeout must be > 0");
  }

  /** Defaults for everything but the server and the op: 1 session, 1 in flight, 1 s. */
  public static BenchSettings of(String connect, BenchOp op) {
    return new BenchSettings(connect, op, 0.9, 1, 1, 100, 1000, Duration.ofSeconds(1),
        Duration.ZERO, Duration.ofSeconds(10), false, false);
  }

  public BenchSettings withLoad(int clients, int inflight) {
    return new BenchSettings(connect, op, readRatio, clients, inflight, valueBytes, znodes,
        duration, warmup, connectTimeout, keep, pin);
  }

  public BenchSettings withValueBytes(int valueBytes) {
    return new BenchSettings(connect, op, readRatio, clients, inflight, valueBytes, znodes,
        duration, warmup, connectTimeout, keep, pin);
  }

  public BenchSettings withDuration(Duration duration) {
    return new BenchSettings(connect, op, readRatio, clients, inflight, valueBytes, znodes,
        duration, warmup, connectTimeout, keep, pin);
  }

  public BenchSettings withConnectTimeout(Duration connectTimeout) {
    return new BenchSettings(connect, op, readRatio, clients, inflight, valueBytes, znodes,
        duration, warmup, connectTimeout, keep, pin);
  }

  public BenchSettings withPin(boolean pin) {
    return new BenchSettings(connect, op, readRatio, clients, inflight, valueBytes, znodes,
        duration, warmup, connectTimeout, keep, pin);
  }

  /** The connect string of session {@code i}: see {@link #pin()}. */
  String connectFor(int i) {
    if (!pin) {
      return connect;
    }
    int slash = connect.indexOf('/');
    String chroot = slash < 0 ? "" : connect.substring(slash);
    String[] hosts = (slash < 0 ? connect : connect.substring(0, slash)).split(",");
    return hosts[i % hosts.length].trim() + chroot;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
