package io.warden.brokersim.layout;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@code /config/<type>/<name>}: {@code {"version":1,"config":{...}}}, values as strings (§1.2.7). */
public record EntityConfig(SortedMap<String, String> config) {
  public static final int VERSION = 1;

  public EntityConfig {
    config = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(config));
  }

  public static EntityConfig of(Map<String, String> config) {
    return new EntityConfig(new TreeMap<>(config));
  }

  /** Topic config key that allows electing an out-of-sync replica (default false). */
  public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

  public boolean uncleanLeaderElectionEnabled() {
    return Boolean.parseBoolean(config.getOrDefault(UNCLEAN_LEADER_ELECTION_ENABLE, "false"));
  }
}
