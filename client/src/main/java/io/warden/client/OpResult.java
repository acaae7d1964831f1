package io.warden.client;

import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One result of {@link WardenClient#multi} or {@link WardenClient#multiRead}, in op order
 * (reference §8.2). A failed multi reports every op as an {@link ErrorResult}: OK for ops before
 * the failing one (rolled back), the real code at it, RUNTIME_INCONSISTENCY after it.
 */
public sealed interface OpResult {
  /** A create's actual path (sequence suffix included, chroot stripped) and the new node's Stat. */
  record CreateResult(String path, Stat stat) implements OpResult {
    public CreateResult {
      Objects.requireNonNull(path, "path");
    }
  }

  record DeleteResult() implements OpResult {
  }

  record SetDataResult(Stat stat) implements OpResult {
    public SetDataResult {
      Objects.requireNonNull(stat, "stat");
    }
  }

  record CheckResult() implements OpResult {
  }

  record GetDataResult(byte[] data, Stat stat) implements OpResult {
    public GetDataResult {
      Objects.requireNonNull(stat, "stat");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GetDataResult r && Arrays.equals(data, r.data) && stat.equals(r.stat);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + stat.hashCode();
    }

    @Override
    public String toString() {
      return "GetDataResult[data=" + (data == null ? "null" : "byte[" + data.length + "]")
          + ", stat=" + stat + "]";
    }
  }

  record GetChildrenResult(List<String> children) implements OpResult {
    public GetChildrenResult {
      children = List.copyOf(children);
    }
  }

  /** A failed or rolled-back op; {@code code} OK means "would have succeeded". */
  record ErrorResult(ErrorCode code) implements OpResult {
    public ErrorResult {
      Objects.requireNonNull(code, "code");
    }
  }
}
