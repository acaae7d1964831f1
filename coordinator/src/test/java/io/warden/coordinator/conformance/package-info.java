/**
 * Conformance of a Warden node with Apache ZooKeeper 3.9, seen through the official ZooKeeper
 * Java client and Apache Curator.
 *
 * <ul>
 *   <li>{@code *ConformanceTest}: ZooKeeper's semantics, one area per class (CRUD and create
 *       modes, multi, watches, sessions, ACLs, the frame limit, pipelining, Curator recipes),
 *       against one shared server per class. Run them against an embedded ZooKeeper instead with
 *       {@code -Dwarden.conformance.target=zookeeper}: they must pass there too, which is how the
 *       tests themselves are checked. Assertions about Warden's own documented choices live in
 *       {@code WardenChoicesConformanceTest}.
 *   <li>{@code WardenVsZooKeeperDifferentialTest}: seeded random operations from several
 *       identities against both servers at once, comparing every result, Stat, watch event and
 *       the final trees ({@code -Dwarden.diff.seed=N} replays, {@code -Dwarden.diff.ops=N}).
 * </ul>
 *
 * <p>{@link io.warden.coordinator.conformance.TcpProxy} cuts clients off (black hole, refuse,
 * reset) and shows whether the server itself closed a connection.
 */
package io.warden.coordinator.conformance;
