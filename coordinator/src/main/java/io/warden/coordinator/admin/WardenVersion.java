package io.warden.coordinator.admin;

/** The build's version, from the jar manifest ("dev" when running from classes). */
public final class WardenVersion {
  private WardenVersion() {
  }

  public static String get() {
    String v = WardenVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * What {@code srvr}/{@code mntr} report as "Zookeeper version": monitoring tools parse this
   * line, so it keeps ZooKeeper's shape while saying what it really is.
   */
  public static String zookeeperStyle() {
    return "3.9.4-warden-" + get() + ", built on unknown";
  }
}
