package io.warden.client.internal;

/**
 * Maps client paths to server paths and back (reference §11.7). The server never sees the
 * chroot; the client prepends it to every outgoing path and strips it from every path it hands
 * back (created paths, notification paths, ephemerals).
 */
public final class Chroot {
  private final String root;

  /** {@code root} null or "/" for no chroot. */
  public Chroot(String root) {
    this.root = root == null || root.equals("/") ? null : root;
  }

  public String root() {
    return root;
  }

  public String toServer(String clientPath) {
    if (root == null || clientPath == null) {
      return clientPath;
    }
    return clientPath.equals("/") ? root : root + clientPath;
  }

  /**
   * The client path for a server path. Paths outside the chroot (e.g. {@code /zookeeper/config})
   * come back unchanged, as the Java client does.
   */
  public String toClient(String serverPath) {
    if (root == null || serverPath == null) {
      return serverPath;
    }
    if (serverPath.equals(root)) {
      return "/";
    }
    if (serverPath.startsWith(root) && serverPath.length() > root.length()
        && serverPath.charAt(root.length()) == '/') {
      return serverPath.substring(root.length());
    }
    return serverPath;
  }
}
