package io.warden.client.testing;

import java.util.List;
import java.util.ServiceLoader;

/** Where the shared suite gets its servers: a {@link TestServerProvider} if exactly one is found. */
public final class TestServers {
  private TestServers() {
  }

  /** A fresh server from the provider on the classpath, else an embedded Apache ZooKeeper. */
  public static TestServer start() throws Exception {
    List<TestServerProvider> providers = ServiceLoader.load(TestServerProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    if (providers.size() > 1) {
      throw new IllegalStateException("more than one TestServerProvider on the classpath: "
          + providers.stream().map(p -> p.getClass().getName()).toList());
    }
    TestServer server = providers.isEmpty() ? EmbeddedZk.inTempDir() : providers.get(0).start();
    System.out.println("test server: " + server.description());
    return server;
  }
}
