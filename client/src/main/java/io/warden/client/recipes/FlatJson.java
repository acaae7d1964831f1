package io.warden.client.recipes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON the service registry stores: one object whose values are strings, integers, or one
 * nested object of strings. Hand-written because client/ has no JSON library (and should not
 * need one for this); it reads exactly what it writes, plus insignificant whitespace and the
 * standard escapes, and rejects anything else with IllegalArgumentException.
 */
final class FlatJson {
  private final String text;
  private int pos;

  private FlatJson(String text) {
    this.text = text;
  }

  static String write(Map<String, ?> object) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, ?> e : object.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(sb, e.getKey()).append(':');
      Object v = e.getValue();
      if (v instanceof String s) {
        string(sb, s);
      } else if (v instanceof Integer i) {
        sb.append(i);
      } else if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, String> strings = (Map<String, String>) m;
        sb.append(write(strings));
      } else {
        throw new IllegalArgumentException("unsupported JSON value for " + e.getKey() + ": " + v);
      }
    }
    return sb.append('}').toString();
  }

  static Map<String, Object> read(String text) {
    FlatJson p = new FlatJson(text);
    Map<String, Object> object = p.object(true);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return object;
  }

  private Map<String, Object> object(boolean nestingAllowed) {
    skipSpace();
    expect('{');
    Map<String, Object> result = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return result;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      char c = peek();
      if (c == '"') {
        result.put(key, string());
      } else if (c == '-' || Character.isDigit(c)) {
        result.put(key, integer());
      } else if (c == '{' && nestingAllowed) {
        result.put(key, object(false));
      } else {
        throw error("unexpected value");
      }
      skipSpace();
      char next = next();
      if (next == '}') {
        return result;
      }
      if (next != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char esc = next();
      switch (esc) {
        case '"', '\\', '/' -> sb.append(esc);
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw error("bad escape \\" + esc);
      }
    }
  }

  private Integer integer() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    try {
      return Integer.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("bad integer");
    }
  }

  private static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed JSON at " + pos + ": " + what + " in " + text);
  }
}
