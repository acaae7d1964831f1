package io.warden.coordinator.badinput;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Collects every log event of this JVM while attached to the root logger, so tests can assert
 * that bad input is logged once, briefly — not as a flood, and without stack traces.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

  public static LogCapture attach() {
    LogCapture c = new LogCapture();
    c.setName("test-capture");
    c.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    c.start();
    root().addAppender(c);
    return c;
  }

  public void detach() {
    root().detachAppender(this);
    stop();
  }

  @Override
  protected void append(ILoggingEvent e) {
    events.add(e);
  }

  public void clear() {
    events.clear();
  }

  /** Events at INFO or above whose message mentions {@code 127.0.0.1:<port>} (one client connection). */
  public List<String> aboutClientPort(int port) {
    String needle = "127.0.0.1:" + port;
    return events.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains(needle + " ") || m.contains(needle + ":") || m.endsWith(needle))
        .toList();
  }

  /** Every message at INFO or above. */
  public List<String> messages() {
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /**
   * Events from the server side (Warden, Vert.x, Netty) that carry a stack trace. The
   * official client's own connection-loss warnings are not the server's business.
   */
  public List<String> serverStackTraces() {
    return events.stream()
        .filter(e -> e.getThrowableProxy() != null)
        .filter(e -> !e.getLoggerName().startsWith("org.apache.zookeeper"))
        .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage() + " / " + e.getThrowableProxy().getClassName()
            + ": " + e.getThrowableProxy().getMessage())
        .toList();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
