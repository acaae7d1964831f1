package io.warden.client.internal;

import java.util.Arrays;
import java.util.Objects;

/** Credentials for one auth packet (reference §7.16); re-sent after every reconnect. */
public record AuthInfo(String scheme, byte[] credentials) {
  public AuthInfo {
    if (scheme == null || scheme.isBlank()) {
      throw new IllegalArgumentException("auth scheme is empty");
    }
    Objects.requireNonNull(credentials, "credentials");
    credentials = credentials.clone();
  }

  @Override
  public byte[] credentials() {
    return credentials.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthInfo a && scheme.equals(a.scheme)
        && Arrays.equals(credentials, a.credentials);
  }

  @Override
  public int hashCode() {
    return 31 * scheme.hashCode() + Arrays.hashCode(credentials);
  }

  @Override
  public String toString() {
    return "AuthInfo[scheme=" + scheme + ", credentials=byte[" + credentials.length + "]]";
  }
}
