package io.warden.client.internal;

import io.warden.protocol.FrameDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One TCP connection to one server: a non-blocking channel, its frame decoder and its queue of
 * encoded frames not yet written. Used only by the I/O thread. A new Wire per connection attempt,
 * so bytes of an old connection can never be mistaken for the new one.
 */
final class Wire {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Wire.class);
  private static final int READ_CHUNK_BYTES = 64 * 1024;

  final HostPort server;
  final SocketChannel channel;
  final SelectionKey key;
  private final FrameDecoder decoder;
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_CHUNK_BYTES);

  Wire(HostPort server, SocketChannel channel, SelectionKey key, int maxFrameBytes) {
    this.server = server;
    this.channel = channel;
    this.key = key;
    this.decoder = new FrameDecoder(maxFrameBytes);
  }

  /** Queues one complete frame; it is written when the socket is writable. */
  void send(byte[] frame) {
    out.add(ByteBuffer.wrap(frame));
    if (key.isValid()) {
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }
  }

  boolean hasOutput() {
    return !out.isEmpty();
  }

  /** Writes as much as the socket takes; stops asking for OP_WRITE once the queue is empty. */
  void flush() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer head = out.peek();
      channel.write(head);
      if (head.hasRemaining()) {
        return;
      }
      out.poll();
    }
    if (key.isValid()) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }
  }

  /**
   * Reads what is available and hands every complete frame to {@code onFrame}. Returns false on
   * end of stream. A frame over the limit throws FrameTooLargeException.
   */
  boolean read(Consumer<byte[]> onFrame) throws IOException {
    readBuffer.clear();
    int n = channel.read(readBuffer);
    if (n < 0) {
      return false;
    }
    decoder.feed(readBuffer.array(), 0, n, onFrame);
    return true;
  }

  void close() {
    key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      // closing a socket we are abandoning anyway; nothing depends on it succeeding
      log.debug("closing the connection to {} failed", server, e);
    }
  }
}
