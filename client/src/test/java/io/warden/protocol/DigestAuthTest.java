package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DigestAuth} computes the ids ZooKeeper's DigestAuthenticationProvider computes. */
class DigestAuthTest {

  @ParameterizedTest
  @ValueSource(strings = {"alice:secret", "bob:", ":pw", "super:s3cr3t", "u:p:with:colons",
      "\u00fcser:p\u00e4ss", "nocolon"})
  void matchesZooKeeper(String userColonPassword) throws Exception {
    assertThat(DigestAuth.digestId(userColonPassword))
        .isEqualTo(DigestAuthenticationProvider.generateDigest(userColonPassword));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice:X/yZ=", "alice:", "alice"})
  void userIsTheTextBeforeTheFirstColon(String id) {
    assertThat(DigestAuth.user(id)).isEqualTo("alice");
  }

  @org.junit.jupiter.api.Test
  void knownValue() {
    // echo -n 'super:test' | openssl dgst -binary -sha1 | base64
    assertThat(DigestAuth.digestId("super:test")).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
  }
}
