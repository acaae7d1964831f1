package io.warden.client;

import io.warden.client.internal.Validation;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One operation of a {@link WardenClient#multi multi} ({@link Write}: create, delete, setData,
 * check) or a {@link WardenClient#multiRead multiRead} ({@link Read}: getData, getChildren).
 * Built with the static factories; every argument is validated when the op is built, so an
 * invalid path fails here with {@link IllegalArgumentException}, before anything is sent.
 */
public sealed interface Op permits Op.Write, Op.Read {
  /** Matches any version in delete, setData, check and setAcl. */
  int ANY_VERSION = -1;

  /** The client path (without chroot). */
  String path();

  /** Ops allowed in an atomic multi. */
  sealed interface Write extends Op permits Create, Delete, SetData, Check {
  }

  /** Ops allowed in a multiRead. */
  sealed interface Read extends Op permits GetData, GetChildren {
  }

  /** A create; {@code ttlMs} is -1 unless {@code mode} is a TTL mode. */
  record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs)
      implements Write {
    public Create {
      Validation.create(path, acl, mode, ttlMs);
      acl = List.copyOf(acl);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Create c && path.equals(c.path) && Arrays.equals(data, c.data)
          && acl.equals(c.acl) && mode == c.mode && ttlMs == c.ttlMs;
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, Arrays.hashCode(data), acl, mode, ttlMs);
    }

    @Override
    public String toString() {
      return "Create[path=" + path + ", data=" + (data == null ? "null" : "byte[" + data.length
          + "]") + ", acl=" + acl + ", mode=" + mode + ", ttlMs=" + ttlMs + "]";
    }
  }

  record Delete(String path, int version) implements Write {
    public Delete {
      Validation.path(path);
    }
  }

  record SetData(String path, byte[] data, int version) implements Write {
    public SetData {
      Validation.path(path);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SetData s && path.equals(s.path) && Arrays.equals(data, s.data)
          && version == s.version;
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, Arrays.hashCode(data), version);
    }

    @Override
    public String toString() {
      return "SetData[path=" + path + ", data=" + (data == null ? "null" : "byte[" + data.length
          + "]") + ", version=" + version + "]";
    }
  }

  record Check(String path, int version) implements Write {
    public Check {
      Validation.path(path);
    }
  }

  record GetData(String path) implements Read {
    public GetData {
      Validation.path(path);
    }
  }

  record GetChildren(String path) implements Read {
    public GetChildren {
      Validation.path(path);
    }
  }

  static Create create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
    return new Create(path, data, acl, mode, -1);
  }

  /** A create in a TTL mode: the node is removed {@code ttlMs} after its last change once empty. */
  static Create create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) {
    return new Create(path, data, acl, mode, ttlMs);
  }

  static Delete delete(String path, int version) {
    return new Delete(path, version);
  }

  static SetData setData(String path, byte[] data, int version) {
    return new SetData(path, data, version);
  }

  static Check check(String path, int version) {
    return new Check(path, version);
  }

  static GetData getData(String path) {
    return new GetData(path);
  }

  static GetChildren getChildren(String path) {
    return new GetChildren(path);
  }
}
