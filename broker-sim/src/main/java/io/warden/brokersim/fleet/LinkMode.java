package io.warden.brokersim.fleet;

/** What a {@link FaultyLink} does with a broker's traffic to the ensemble. */
public enum LinkMode {
  /** Bytes flow both ways. */
  OPEN,
  /**
   * Connections stay open but nothing is forwarded (held, not lost): the broker's pings stop
   * reaching the ensemble, as in a network partition or a frozen process, so its session expires.
   */
  BLACKHOLE,
  /**
   * Every connection is reset and new ones are refused: a crashed broker. The ensemble sees the
   * TCP connection go without a closeSession, so the session lives until its timeout.
   */
  CUT
}
