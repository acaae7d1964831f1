package io.warden.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.WardenException;
import io.warden.client.WatchEvent;
import io.warden.protocol.Acl;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Id;
import io.warden.protocol.KeeperState;
import io.warden.protocol.Perms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shell's parsing and zkCli-compatible wording, without a server. */
class ShellFormatTest {
  @Test
  void parsesAclsInZkCliForm() throws Exception {
    assertThat(ShellFormat.parseAcl("world:anyone:cdrwa,digest:u:hash=:r")).containsExactly(
        new Acl(Perms.ALL, Id.ANYONE), new Acl(Perms.READ, new Id("digest", "u:hash=")));
    assertThatThrownBy(() -> ShellFormat.parseAcl("world:anyone:z"))
        .hasMessage("Unknown perm type: z");
    assertThatThrownBy(() -> ShellFormat.parseAcl("world"))
        .hasMessage("world does not have the form scheme:id:perm");
    assertThat(ShellFormat.perms(Perms.READ | Perms.ADMIN)).isEqualTo("ra");
  }

  @Test
  void splitsWordsWithQuotes() throws Exception {
    assertThat(ShellFormat.words("  set /a \"two words\" 'x y'z  "))
        .containsExactly("set", "/a", "two words", "x yz");
    assertThat(ShellFormat.words("")).isEmpty();
    assertThatThrownBy(() -> ShellFormat.words("set /a \"open")).hasMessageContaining("unclosed");
  }

  @Test
  void parsesOptionsPosixStyle() throws Exception {
    ShellArgs a = ShellArgs.parse(List.of("-sw", "/p", "-v", "3"), "sw", "v");
    assertThat(a.flags()).containsExactlyInAnyOrder('s', 'w');
    assertThat(a.intValue('v', -1)).isEqualTo(3);
    assertThat(a.positional()).containsExactly("/p");
    assertThat(ShellArgs.parse(List.of("-v7", "/p"), "", "v").intValue('v', -1)).isEqualTo(7);
    assertThatThrownBy(() -> ShellArgs.parse(List.of("-q"), "s", ""))
        .hasMessage("Unrecognized option: -q");
    assertThatThrownBy(() -> ShellArgs.parse(List.of("-v"), "", "v"))
        .hasMessage("Missing argument for option: v");
  }

  @Test
  void wordsErrorsAndEventsLikeZkCli() {
    assertThat(ShellFormat.error(new WardenException(ErrorCode.NO_AUTH, "/a")))
        .isEqualTo("Insufficient permission : /a");
    assertThat(ShellFormat.error(new WardenException(ErrorCode.CONNECTION_LOSS, "/a")))
        .isEqualTo("KeeperErrorCode = ConnectionLoss for /a");
    assertThat(ShellFormat.event(new WatchEvent(EventType.NODE_CHILDREN_CHANGED,
        KeeperState.SYNC_CONNECTED, "/a")))
        .isEqualTo("WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/a");
    assertThat(ShellFormat.event(new WatchEvent(EventType.NONE, KeeperState.DISCONNECTED, null)))
        .isEqualTo("WatchedEvent state:Disconnected type:None path:null");
  }
}
