package io.warden.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy does what the partitions rely on: pass, drop, black-hole, and heal without a hole in a stream. */
class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread pump = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException e) {
              // the test closed it
            }
          });
          pump.setDaemon(true);
          pump.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    proxy = new TcpProxy("test", new InetSocketAddress("127.77.9.9", 0), (InetSocketAddress) echo.getLocalSocketAddress());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(proxy.address(), 2_000);
    s.setSoTimeout(1_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes());
    byte[] buf = new byte[text.length()];
    int n = 0;
    while (n < buf.length) {
      int r = s.getInputStream().read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("closed");
      }
      n += r;
    }
    return new String(buf);
  }

  @Test
  void passesBytesBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void blackHoleSwallowsBytesAndHealingClosesTheHoledConnection() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "a")).isEqualTo("a");
      proxy.mode(TcpProxy.Mode.BLACKHOLE);
      s.getOutputStream().write("lost".getBytes());
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      proxy.mode(TcpProxy.Mode.PASS);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        try {
          return s.getInputStream().read() == -1; // closed: no stream with a hole goes on
        } catch (SocketTimeoutException e) {
          return false;
        } catch (IOException e) {
          return true; // reset
        }
      });
    }
    try (Socket fresh = connect()) {
      assertThat(roundTrip(fresh, "again")).isEqualTo("again");
    }
  }

  @Test
  void dropResetsConnectionsAndRefusesNewOnes() throws IOException {
    try (Socket s = connect()) {
      proxy.mode(TcpProxy.Mode.DROP);
      assertThatThrownBy(() -> roundTrip(s, "x")).isInstanceOf(IOException.class);
    }
    try (Socket s = connect()) {
      assertThatThrownBy(() -> roundTrip(s, "y")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aSlowLinkDeliversEverythingInOrderButLate() throws IOException {
    proxy.delayMs(150);
    try (Socket s = connect()) {
      s.setSoTimeout(5_000);
      long t0 = System.nanoTime();
      assertThat(roundTrip(s, "late")).isEqualTo("late");
      // one delayed hop out through the proxy (the echo's answer comes back through it too)
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for a round trip").isGreaterThanOrEqualTo(150);
      proxy.delayMs(0);
      assertThat(roundTrip(s, "then fast")).isEqualTo("then fast");
    }
  }
}
