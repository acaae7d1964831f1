#!/usr/bin/env bash
# Starts a Warden node. Configuration, in order of precedence:
#   1. a zoo.cfg-compatible file mounted at /conf/zoo.cfg (used as is; myid from its dataDir);
#   2. environment variables, written into /conf/zoo.cfg here:
#        WARDEN_MY_ID       this node's id (1-255); required with WARDEN_SERVERS
#        WARDEN_SERVERS     space-separated server lines, as ZooKeeper's image takes them:
#                           "server.1=warden1:2888:3888;2181 server.2=warden2:2888:3888;2181 ..."
#        WARDEN_TICK_TIME   (2000)   WARDEN_INIT_LIMIT (10)   WARDEN_SYNC_LIMIT (5)
#        WARDEN_ELECTION_TIMEOUT_MS (1000)   WARDEN_HEARTBEAT_INTERVAL_MS (50)
#        WARDEN_4LW_WHITELIST (srvr,stat,mntr,ruok,conf)
#        WARDEN_EXTRA_CONFIG  more lines appended verbatim
#   Without WARDEN_SERVERS the node runs standalone.
# JVM options: JAVA_OPTS (default -Xmx512m). Data lives in /data (a volume).
set -euo pipefail

CONF=/conf/zoo.cfg
if [ ! -f "$CONF" ] || [ -n "${WARDEN_SERVERS:-}" ]; then
  {
    echo "dataDir=/data"
    echo "clientPort=2181"
    echo "tickTime=${WARDEN_TICK_TIME:-2000}"
    echo "initLimit=${WARDEN_INIT_LIMIT:-10}"
    echo "syncLimit=${WARDEN_SYNC_LIMIT:-5}"
    echo "admin.serverAddress=0.0.0.0"
    echo "admin.serverPort=8080"
    echo "4lw.commands.whitelist=${WARDEN_4LW_WHITELIST:-srvr,stat,mntr,ruok,conf}"
    echo "warden.electionTimeoutMs=${WARDEN_ELECTION_TIMEOUT_MS:-1000}"
    echo "warden.heartbeatIntervalMs=${WARDEN_HEARTBEAT_INTERVAL_MS:-50}"
    if [ -n "${WARDEN_SERVERS:-}" ]; then
      echo "standaloneEnabled=false"
      echo "quorumListenOnAllIPs=true"
      for line in $WARDEN_SERVERS; do echo "$line"; done
    fi
    if [ -n "${WARDEN_EXTRA_CONFIG:-}" ]; then
      printf '%s\n' "$WARDEN_EXTRA_CONFIG"
    fi
  } > "$CONF"
  if [ -n "${WARDEN_SERVERS:-}" ]; then
    if [ -z "${WARDEN_MY_ID:-}" ]; then
      echo "WARDEN_SERVERS is set but WARDEN_MY_ID is not: each member needs its id (1-255)" >&2
      exit 2
    fi
    echo "$WARDEN_MY_ID" > /data/myid
  fi
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
# Peers are found by name and a restarted or reconnected container may come back at another
# address: resolve through the JDK (Vert.x's own resolver caches for the DNS record's TTL) with
# a one-second cache, so a moved peer is dialled at its new address within a reconnect or two.
exec java ${JAVA_OPTS:--Xmx512m} -Dvertx.disableDnsResolver=true \
  -Dsun.net.inetaddr.ttl=1 -Dsun.net.inetaddr.negative.ttl=0 \
  -jar /opt/warden/warden.jar server --config "$CONF"
