package io.warden.brokersim.cli;

import io.warden.brokersim.dashboard.Coordinators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An outside ensemble as the dashboard sees it (demo {@code --connect}): each member's mode,
 * term and commit index from its {@code srvr} four-letter word, which any ZooKeeper-protocol
 * server answers (Apache ZooKeeper's has no term or commit index: those show as -1). The demo
 * does not own these servers, so it cannot stop or start them.
 */
final class SrvrCoordinators implements Coordinators {
  private static final int TIMEOUT_MS = 1_000;

  private final List<InetSocketAddress> members;

  /** {@code connect} is "host:port,host:port,..." without a chroot; members are numbered from 1. */
  SrvrCoordinators(String connect) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String hostPort : connect.split(",")) {
      int colon = hostPort.lastIndexOf(':');
      out.add(InetSocketAddress.createUnresolved(hostPort.substring(0, colon).trim(),
          Integer.parseInt(hostPort.substring(colon + 1).trim())));
    }
    this.members = List.copyOf(out);
  }

  @Override
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      out.add(ask(i + 1, members.get(i)));
    }
    return out;
  }

  private static Member ask(int id, InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream o = s.getOutputStream();
      o.write("srvr".getBytes(StandardCharsets.US_ASCII));
      o.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      in.transferTo(reply);
      return parse(id, reply.toString(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Member.down(id);
    }
  }

  /** Reads "Mode: ...", "Term: ..." and "Commit index: ..." lines; no mode means not serving. */
  static Member parse(int id, String srvr) {
    String mode = null;
    long term = -1;
    long commit = -1;
    for (String line : srvr.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      try {
        switch (key) {
          case "Mode" -> mode = value;
          case "Term" -> term = Long.parseLong(value);
          case "Commit index" -> commit = Long.parseLong(value);
          default -> {
          }
        }
      } catch (NumberFormatException e) {
        // a field this reader does not understand: leave it unknown
      }
    }
    return mode == null ? new Member(id, "not serving", term, commit) : new Member(id, mode, term, commit);
  }

  @Override
  public void stop(int id) {
    throw new IllegalStateException("the demo runs against an outside ensemble (--connect): it cannot stop its servers");
  }

  @Override
  public void start(int id) {
    throw new IllegalStateException("the demo runs against an outside ensemble (--connect): it cannot start its servers");
  }
}
