package io.warden.coordinator.cli;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeAcl;
import io.warden.client.NodeChildren;
import io.warden.client.NodeData;
import io.warden.client.WardenException;
import io.warden.client.Watcher;
import io.warden.protocol.Acl;
import io.warden.protocol.ClientInfo;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Stat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The zkCli commands over the blocking client. {@link #run} executes one command line (already
 * split into words) and says whether it succeeded; failures print one line on {@code err} in
 * zkCli's wording. Stateless apart from the client, the streams and the watcher used for -w.
 */
final class ShellCommands {
  /** Usage lines, as {@code help} prints them (zkCli's syntax). */
  static final Map<String, String> USAGE = new java.util.LinkedHashMap<>();

  static {
    USAGE.put("addauth", "scheme auth");
    USAGE.put("create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]");
    USAGE.put("delete", "[-v version] path");
    USAGE.put("deleteall", "path");
    USAGE.put("get", "[-s] [-w] path");
    USAGE.put("getAcl", "[-s] path");
    USAGE.put("getAllChildrenNumber", "path");
    USAGE.put("getEphemerals", "path");
    USAGE.put("ls", "[-s] [-w] [-R] path");
    USAGE.put("quit", "");
    USAGE.put("set", "[-s] [-v version] path data");
    USAGE.put("setAcl", "[-s] [-v version] [-R] path acl");
    USAGE.put("stat", "[-w] path");
    USAGE.put("sync", "path");
    USAGE.put("whoami", "");
  }

  private final BlockingWardenClient client;
  private final PrintStream out;
  private final PrintStream err;
  private final Watcher watcher;

  ShellCommands(BlockingWardenClient client, PrintStream out, PrintStream err, Watcher watcher) {
    this.client = client;
    this.out = out;
    this.err = err;
    this.watcher = watcher;
  }

  /** Runs one command; true on success. Never throws for user errors. */
  boolean run(List<String> words) throws InterruptedException {
    if (words.isEmpty()) {
      return true;
    }
    String name = words.get(0);
    List<String> args = words.subList(1, words.size());
    try {
      dispatch(name, args);
      return true;
    } catch (WardenException e) {
      err.println(ShellFormat.error(e));
    } catch (ShellException | IllegalArgumentException e) {
      err.println(e.getMessage());
    }
    return false;
  }

  private void dispatch(String name, List<String> args)
      throws WardenException, ShellException, InterruptedException {
    switch (name) {
      case "ls" -> ls(args);
      case "get" -> get(args);
      case "set" -> set(args);
      case "create" -> create(args);
      case "delete" -> delete(args);
      case "deleteall", "rmr" -> deleteAll(args);
      case "stat" -> stat(args);
      case "sync" -> sync(args);
      case "getAcl" -> getAcl(args);
      case "setAcl" -> setAcl(args);
      case "addauth" -> addAuth(args);
      case "getEphemerals" -> getEphemerals(args);
      case "getAllChildrenNumber" -> getAllChildrenNumber(args);
      case "whoami" -> whoAmI();
      case "help" -> help();
      default -> {
        help();
        throw new ShellException("Command not found: " + name);
      }
    }
  }

  void help() {
    out.println("warden cli --server host:port[,host:port...][/chroot] cmd args");
    USAGE.forEach((name, usage) -> out.println("\t" + name + (usage.isEmpty() ? "" : " " + usage)));
  }

  private static String path(ShellArgs a, String command, int minPositionals)
      throws ShellException {
    if (a.positional().size() < minPositionals) {
      throw new ShellException(command + " " + USAGE.get(command));
    }
    return a.positional().get(0);
  }

  private Watcher watchIf(ShellArgs a) {
    return a.has('w') ? watcher : null;
  }

  private void ls(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "swR", "");
    String path = path(a, "ls", 1);
    if (a.has('R')) {
      listRecursively(path, watchIf(a));
      return;
    }
    Watcher w = watchIf(a);
    NodeChildren children = w == null ? client.getChildrenWithStat(path)
        : client.getChildrenWithStat(path, w);
    List<String> sorted = new ArrayList<>(children.children());
    sorted.sort(null);
    out.println("[" + String.join(", ", sorted) + "]");
    if (a.has('s')) {
      ShellFormat.printStat(out, children.stat());
    }
  }

  /** Depth-first, the node before its children, as zkCli's ZKUtil.visitSubTreeDFS prints. */
  private void listRecursively(String path, Watcher w) throws WardenException,
      InterruptedException {
    out.println(path);
    List<String> children = new ArrayList<>(w == null ? client.getChildren(path)
        : client.getChildren(path, w));
    children.sort(null);
    for (String child : children) {
      listRecursively(path.equals("/") ? "/" + child : path + "/" + child, w);
    }
  }

  private void get(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "sw", "");
    String path = path(a, "get", 1);
    Watcher w = watchIf(a);
    NodeData data = w == null ? client.getData(path) : client.getData(path, w);
    out.println(data.data() == null ? "null" : new String(data.data(), StandardCharsets.UTF_8));
    if (a.has('s')) {
      ShellFormat.printStat(out, data.stat());
    }
  }

  private void set(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "s", "v");
    String path = path(a, "set", 2);
    Stat stat = client.setData(path, bytes(a.positional().get(1)), a.intValue('v', -1));
    if (a.has('s')) {
      ShellFormat.printStat(out, stat);
    }
  }

  private void create(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "esc", "t");
    String path = path(a, "create", 1);
    CreateMode mode = createMode(a);
    byte[] data = a.positional().size() > 1 ? bytes(a.positional().get(1)) : null;
    List<Acl> acl = a.positional().size() > 2 ? ShellFormat.parseAcl(a.positional().get(2))
        : Acl.OPEN_ACL_UNSAFE;
    String created = mode.isTtl() ? client.create(path, data, acl, mode, ttl(a))
        : client.create(path, data, acl, mode);
    out.println("Created " + created);
  }

  /** zkCli's rules for combining -e, -s, -c and -t, with its messages. */
  private static CreateMode createMode(ShellArgs a) throws ShellException {
    boolean e = a.has('e');
    boolean s = a.has('s');
    boolean c = a.has('c');
    boolean t = a.has('t');
    if (c && (e || s)) {
      throw new ShellException("-c cannot be combined with -s or -e. Containers cannot be "
          + "ephemeral or sequential.");
    }
    if (t && e) {
      throw new ShellException("TTLs cannot be used with Ephemeral znodes");
    }
    if (t && c) {
      throw new ShellException("TTLs cannot be used with Container znodes");
    }
    if (e) {
      return s ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
    }
    if (c) {
      return CreateMode.CONTAINER;
    }
    if (s) {
      return t ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
    }
    return t ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
  }

  private static long ttl(ShellArgs a) throws ShellException {
    try {
      return Long.parseLong(a.values().get('t'));
    } catch (NumberFormatException e) {
      throw new ShellException("-t argument must be a long value");
    }
  }

  private void delete(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "", "v");
    client.delete(path(a, "delete", 1), a.intValue('v', -1));
  }

  private void deleteAll(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "", "b");
    deleteTree(path(a, "deleteall", 1));
  }

  private void deleteTree(String path) throws WardenException, InterruptedException {
    for (String child : client.getChildren(path)) {
      deleteTree(path.equals("/") ? "/" + child : path + "/" + child);
    }
    if (!path.equals("/") && !path.equals("/zookeeper") && !path.startsWith("/zookeeper/")) {
      client.delete(path, -1);
    }
  }

  private void stat(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "w", "");
    String path = path(a, "stat", 1);
    Watcher w = watchIf(a);
    Stat stat = w == null ? client.exists(path) : client.exists(path, w);
    if (stat == null) {
      throw new WardenException(io.warden.protocol.ErrorCode.NO_NODE, path);
    }
    ShellFormat.printStat(out, stat);
  }

  private void sync(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    client.sync(path(ShellArgs.parse(words, "", ""), "sync", 1));
    out.println("Sync is OK");
  }

  private void getAcl(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "s", "");
    NodeAcl acl = client.getAcl(path(a, "getAcl", 1));
    ShellFormat.printAcl(out, acl.acl());
    if (a.has('s')) {
      ShellFormat.printStat(out, acl.stat());
    }
  }

  private void setAcl(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "sR", "v");
    String path = path(a, "setAcl", 2);
    List<Acl> acl = ShellFormat.parseAcl(a.positional().get(1));
    if (a.has('R')) {
      setAclRecursively(path, acl);
      return;
    }
    Stat stat = client.setAcl(path, acl, a.intValue('v', -1));
    if (a.has('s')) {
      ShellFormat.printStat(out, stat);
    }
  }

  private void setAclRecursively(String path, List<Acl> acl) throws WardenException,
      InterruptedException {
    client.setAcl(path, acl, -1);
    for (String child : client.getChildren(path)) {
      setAclRecursively(path.equals("/") ? "/" + child : path + "/" + child, acl);
    }
  }

  private void addAuth(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    if (words.isEmpty()) {
      throw new ShellException("addauth " + USAGE.get("addauth"));
    }
    byte[] auth = words.size() > 1 ? bytes(words.get(1)) : new byte[0];
    client.addAuth(words.get(0), auth);
  }

  private void getEphemerals(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    ShellArgs a = ShellArgs.parse(words, "", "");
    List<String> ephemerals = a.positional().isEmpty() ? client.getEphemerals()
        : client.getEphemerals(a.positional().get(0));
    out.println(ephemerals);
  }

  private void getAllChildrenNumber(List<String> words) throws WardenException, ShellException,
      InterruptedException {
    out.println(client.getAllChildrenNumber(path(ShellArgs.parse(words, "", ""),
        "getAllChildrenNumber", 1)));
  }

  private void whoAmI() throws WardenException, InterruptedException {
    out.println("Auth scheme: User");
    for (ClientInfo info : client.whoAmI()) {
      out.println(info.authScheme() + ": " + info.user());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
