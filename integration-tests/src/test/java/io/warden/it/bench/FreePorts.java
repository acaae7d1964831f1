package io.warden.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports for configs that must name them up front (zoo.cfg's server.N lines): bound to port 0
 * together, so they differ, and released just before the servers bind them.
 */
final class FreePorts {
  private FreePorts() {
  }

  static List<Integer> loopback(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports", e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // a socket that fails to close keeps its port; the server that wanted it will say so
        }
      }
    }
  }
}
