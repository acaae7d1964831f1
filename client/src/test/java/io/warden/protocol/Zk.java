package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;

/**
 * The oracle: Apache ZooKeeper's own jute records and archives (test scope only). Converts our
 * records to theirs and produces or parses the bytes with {@link BinaryOutputArchive} and
 * {@link BinaryInputArchive}.
 */
final class Zk {
  private Zk() {
  }

  @FunctionalInterface
  interface ArchiveWriter {
    void write(BinaryOutputArchive a) throws IOException;
  }

  @FunctionalInterface
  interface ArchiveReader<T> {
    T read(BinaryInputArchive a) throws IOException;
  }

  static byte[] bytes(ArchiveWriter writer) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try {
      writer.write(BinaryOutputArchive.getArchive(bos));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  static byte[] bytes(Record r) {
    return bytes(a -> r.serialize(a, "r"));
  }

  /** Parses {@code b} with ZooKeeper's reader and insists that it consumed every byte. */
  static <T> T parse(byte[] b, ArchiveReader<T> reader) {
    ByteArrayInputStream in = new ByteArrayInputStream(b);
    try {
      T value = reader.read(BinaryInputArchive.getArchive(in));
      assertThat(in.available()).as("bytes ZooKeeper left unread").isZero();
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <R extends Record> R parseRecord(byte[] b, R blank) {
    return parse(b, a -> {
      blank.deserialize(a, "r");
      return blank;
    });
  }

  static org.apache.zookeeper.data.Stat stat(Stat s) {
    return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(),
        s.version(), s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(),
        s.numChildren(), s.pzxid());
  }

  static org.apache.zookeeper.data.Id id(Id id) {
    return new org.apache.zookeeper.data.Id(id.scheme(), id.id());
  }

  static org.apache.zookeeper.data.ACL acl(Acl acl) {
    return new org.apache.zookeeper.data.ACL(acl.perms(), id(acl.id()));
  }

  static List<org.apache.zookeeper.data.ACL> acls(List<Acl> acls) {
    return acls == null ? null : acls.stream().map(Zk::acl).toList();
  }

  static org.apache.zookeeper.data.ClientInfo clientInfo(ClientInfo c) {
    return new org.apache.zookeeper.data.ClientInfo(c.authScheme(), c.user());
  }

  static org.apache.zookeeper.proto.CreateRequest create(CreateRequest r) {
    return new org.apache.zookeeper.proto.CreateRequest(r.path(), r.data(), acls(r.acl()),
        r.flags());
  }

  static org.apache.zookeeper.proto.CreateTTLRequest createTtl(CreateTtlRequest r) {
    return new org.apache.zookeeper.proto.CreateTTLRequest(r.path(), r.data(), acls(r.acl()),
        r.flags(), r.ttl());
  }

  /** ZooKeeper's record for one of our multi sub-requests. */
  static Record subRequest(JuteRecord request) {
    if (request instanceof CreateRequest r) {
      return create(r);
    } else if (request instanceof CreateTtlRequest r) {
      return createTtl(r);
    } else if (request instanceof DeleteRequest r) {
      return new org.apache.zookeeper.proto.DeleteRequest(r.path(), r.version());
    } else if (request instanceof SetDataRequest r) {
      return new org.apache.zookeeper.proto.SetDataRequest(r.path(), r.data(), r.version());
    } else if (request instanceof CheckVersionRequest r) {
      return new org.apache.zookeeper.proto.CheckVersionRequest(r.path(), r.version());
    } else if (request instanceof GetDataRequest r) {
      return new org.apache.zookeeper.proto.GetDataRequest(r.path(), r.watch());
    } else if (request instanceof GetChildrenRequest r) {
      return new org.apache.zookeeper.proto.GetChildrenRequest(r.path(), r.watch());
    }
    throw new IllegalArgumentException("not a multi sub-request: " + request);
  }

  /** A blank ZooKeeper record for a multi sub-op type, to parse into. */
  static Record blankSubRequest(int type) {
    return switch (type) {
      case 1, 15, 19 -> new org.apache.zookeeper.proto.CreateRequest();
      case 21 -> new org.apache.zookeeper.proto.CreateTTLRequest();
      case 2 -> new org.apache.zookeeper.proto.DeleteRequest();
      case 5 -> new org.apache.zookeeper.proto.SetDataRequest();
      case 13 -> new org.apache.zookeeper.proto.CheckVersionRequest();
      case 4 -> new org.apache.zookeeper.proto.GetDataRequest();
      case 8 -> new org.apache.zookeeper.proto.GetChildrenRequest();
      default -> throw new IllegalArgumentException("not a multi sub-op type: " + type);
    };
  }

  static org.apache.zookeeper.OpResult opResult(OpResult result) {
    if (result instanceof OpResult.CreateResult r) {
      return new org.apache.zookeeper.OpResult.CreateResult(r.path());
    } else if (result instanceof OpResult.Create2Result r) {
      return new org.apache.zookeeper.OpResult.CreateResult(r.path(), stat(r.stat()));
    } else if (result instanceof OpResult.DeleteResult) {
      return new org.apache.zookeeper.OpResult.DeleteResult();
    } else if (result instanceof OpResult.SetDataResult r) {
      return new org.apache.zookeeper.OpResult.SetDataResult(stat(r.stat()));
    } else if (result instanceof OpResult.CheckResult) {
      return new org.apache.zookeeper.OpResult.CheckResult();
    } else if (result instanceof OpResult.GetDataResult r) {
      return new org.apache.zookeeper.OpResult.GetDataResult(r.data(), stat(r.stat()));
    } else if (result instanceof OpResult.GetChildrenResult r) {
      return new org.apache.zookeeper.OpResult.GetChildrenResult(r.children());
    } else if (result instanceof OpResult.ErrorResult r) {
      return new org.apache.zookeeper.OpResult.ErrorResult(r.err());
    }
    throw new IllegalArgumentException("unknown result " + result);
  }

  static org.apache.zookeeper.MultiResponse multiResponse(MultiResponse response) {
    org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
    response.results().forEach(r -> zk.add(opResult(r)));
    return zk;
  }
}
