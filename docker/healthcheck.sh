#!/usr/bin/env bash
# Healthy when the node serves clients: `srvr` on the client port reports a serving mode.
# Plain bash (/dev/tcp): the image needs no curl or netcat.
set -euo pipefail
exec 3<>/dev/tcp/127.0.0.1/2181
printf 'srvr' >&3
answer=$(timeout 2 cat <&3 || true)
grep -Eq '^Mode: (leader|follower|observer|standalone)' <<< "$answer"
