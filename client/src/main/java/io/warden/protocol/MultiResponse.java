package io.warden.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Reply body of multi (14) and multiRead (22) (reference §8.2): each result as a MultiHeader
 * {@code (type, false, err)} plus its body, then the end marker {@code (-1, true, -1)}.
 */
public record MultiResponse(List<OpResult> results) implements JuteRecord {
  public MultiResponse {
    results = List.copyOf(results);
  }

  @Override
  public void write(JuteWriter w) {
    for (OpResult result : results) {
      new MultiHeader(result.type(), false, result.err()).write(w);
      result.write(w);
    }
    MultiHeader.END.write(w);
  }

  /** Reads results until a header with {@code done} set; an unknown result type is an error. */
  public static MultiResponse read(JuteReader r) {
    List<OpResult> results = new ArrayList<>();
    for (MultiHeader h = MultiHeader.read(r); !h.done(); h = MultiHeader.read(r)) {
      results.add(OpResult.read(h.type(), r));
    }
    return new MultiResponse(results);
  }
}
