package io.warden.coordinator.cli;

import io.warden.client.WardenException;
import io.warden.client.WatchEvent;
import io.warden.protocol.Acl;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import io.warden.protocol.Stat;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Text in and out of the shell, worded and laid out like ZooKeeper's zkCli so scripts and habits
 * carry over: stat lines, ACL lines, permission letters, watch events and error messages.
 */
final class ShellFormat {
  private ShellFormat() {
  }

  /** zkCli's StatPrinter: one {@code name = value} line per field, zxids in hex. */
  static void printStat(PrintStream out, Stat stat) {
    out.println("cZxid = 0x" + Long.toHexString(stat.czxid()));
    out.println("ctime = " + new Date(stat.ctime()));
    out.println("mZxid = 0x" + Long.toHexString(stat.mzxid()));
    out.println("mtime = " + new Date(stat.mtime()));
    out.println("pZxid = 0x" + Long.toHexString(stat.pzxid()));
    out.println("cversion = " + stat.cversion());
    out.println("dataVersion = " + stat.version());
    out.println("aclVersion = " + stat.aversion());
    out.println("ephemeralOwner = 0x" + Long.toHexString(stat.ephemeralOwner()));
    out.println("dataLength = " + stat.dataLength());
    out.println("numChildren = " + stat.numChildren());
  }

  /** zkCli's getAcl lines: the Id as jute prints it ({@code 'world,'anyone}), then the perms. */
  static void printAcl(PrintStream out, List<Acl> acl) {
    for (Acl a : acl) {
      out.println("'" + a.id().scheme() + ",'" + a.id().id());
      out.println(": " + perms(a.perms()));
    }
  }

  /** Permission letters in zkCli's order: c d r w a. */
  static String perms(int perms) {
    StringBuilder sb = new StringBuilder();
    appendIf(sb, perms, Perms.CREATE, 'c');
    appendIf(sb, perms, Perms.DELETE, 'd');
    appendIf(sb, perms, Perms.READ, 'r');
    appendIf(sb, perms, Perms.WRITE, 'w');
    appendIf(sb, perms, Perms.ADMIN, 'a');
    return sb.toString();
  }

  private static void appendIf(StringBuilder sb, int perms, int bit, char letter) {
    if ((perms & bit) != 0) {
      sb.append(letter);
    }
  }

  /**
   * Parses zkCli's ACL form: comma-separated {@code scheme:id:perms}; the id is everything
   * between the first and the last colon (digest ids contain one).
   */
  static List<Acl> parseAcl(String text) throws ShellException {
    List<Acl> acl = new ArrayList<>();
    for (String entry : text.split(",")) {
      int first = entry.indexOf(':');
      int last = entry.lastIndexOf(':');
      if (first < 0 || first == last) {
        throw new ShellException(entry + " does not have the form scheme:id:perm");
      }
      acl.add(new Acl(parsePerms(entry.substring(last + 1)),
          new Id(entry.substring(0, first), entry.substring(first + 1, last))));
    }
    return acl;
  }

  private static int parsePerms(String letters) throws ShellException {
    int perms = 0;
    for (char c : letters.toCharArray()) {
      perms |= switch (c) {
        case 'r' -> Perms.READ;
        case 'w' -> Perms.WRITE;
        case 'c' -> Perms.CREATE;
        case 'd' -> Perms.DELETE;
        case 'a' -> Perms.ADMIN;
        default -> throw new ShellException("Unknown perm type: " + c);
      };
    }
    return perms;
  }

  /** zkCli's WatchedEvent text: {@code WatchedEvent state:SyncConnected type:None path:null}. */
  static String event(WatchEvent event) {
    return "WatchedEvent state:" + camel(event.state().name()) + " type:"
        + camel(event.type().name()) + " path:" + event.path();
  }

  /** zkCli's wording for the errors it names (CliWrapperException), else the code's name. */
  static String error(WardenException e) {
    String path = e.path();
    ErrorCode code = e.code();
    return switch (code) {
      case NO_NODE -> "Node does not exist: " + path;
      case NO_CHILDREN_FOR_EPHEMERALS -> "Ephemerals cannot have children: " + path;
      case NODE_EXISTS -> "Node already exists: " + path;
      case NOT_EMPTY -> "Node not empty: " + path;
      case NOT_READ_ONLY -> "Not a read-only call: " + path;
      case INVALID_ACL -> "Acl is not valid : " + path;
      case NO_AUTH -> "Insufficient permission : " + path;
      case BAD_ARGUMENTS -> "Arguments are not valid : " + path;
      case BAD_VERSION -> "version No is not valid : " + path;
      default -> "KeeperErrorCode = " + WardenException.codeName(code)
          + (path == null ? "" : " for " + path);
    };
  }

  /** NODE_DATA_CHANGED becomes NodeDataChanged, ZooKeeper's spelling of its enums. */
  static String camel(String enumName) {
    StringBuilder sb = new StringBuilder();
    for (String part : enumName.split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }

  /**
   * Splits a command line into words: blanks separate, single or double quotes group (zkCli
   * accepts {@code set /a "two words"}).
   */
  static List<String> words(String line) throws ShellException {
    List<String> words = new ArrayList<>();
    StringBuilder current = null;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        current = current == null ? new StringBuilder() : current;
      } else if (Character.isWhitespace(c)) {
        if (current != null) {
          words.add(current.toString());
          current = null;
        }
      } else {
        current = current == null ? new StringBuilder() : current;
        current.append(c);
      }
    }
    if (quote != 0) {
      throw new ShellException("unclosed quote " + quote);
    }
    if (current != null) {
      words.add(current.toString());
    }
    return words;
  }
}
