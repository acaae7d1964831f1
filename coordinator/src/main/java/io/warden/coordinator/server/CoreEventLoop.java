package io.warden.coordinator.server;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A node's core thread ({@code warden-core-N}) as a network event loop of its own, built on the
 * transport Vert.x runs on (epoll where available), with a Vert.x context on it.
 *
 * <p>Why: a write in an ensemble crosses four peer messages (forward, append, acknowledgement,
 * commit). With the peer connections on Vert.x's shared event loops, each crossed two thread
 * hand-offs besides the socket (core → sending event loop, receiving event loop → core), about
 * 35 µs of a 70-80 µs hop on this 2-core machine, a fifth of a single writer's latency. Peer
 * sockets opened on this context are read and written by the core thread itself: a received
 * message is handed to the loop in the same thread, and what the core sends is written when
 * its flush ends. Client connections stay on Vert.x's event loops (there are many of them, and
 * their decoding would compete with the core).
 *
 * <p>It uses Vert.x's internal context API ({@code io.vertx.core.internal}); a Vert.x upgrade
 * that changes it fails the build here, not at run time.
 */
final class CoreEventLoop implements AutoCloseable {
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Context context;

  private CoreEventLoop(EventLoopGroup group, EventLoop loop, Context context) {
    this.group = group;
    this.loop = loop;
    this.context = context;
  }

  static CoreEventLoop create(Vertx vertx, int serverId) {
    VertxInternal internal = (VertxInternal) vertx;
    EventLoopGroup group = new CoreGroup(runnable -> new Thread(runnable, "warden-core-" + serverId),
        internal.transport().ioHandlerFactory());
    EventLoop loop = group.next();
    return new CoreEventLoop(group, loop, internal.contextBuilder().withEventLoop(loop).build());
  }

  /**
   * Netty runs queued tasks for up to a second (its default quantum) before it polls the
   * sockets again, as long as tasks keep coming. On the core, tasks do keep coming under load,
   * and peer messages must not wait that long behind them: polled at least every
   * {@value #TASK_QUANTUM_MS} ms (checked every 64 tasks).
   */
  static final int TASK_QUANTUM_MS = 5;

  private static final class CoreGroup extends MultiThreadIoEventLoopGroup {
    CoreGroup(ThreadFactory threads, IoHandlerFactory io) {
      super(1, threads, io);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory io, Object... args) {
      return new SingleThreadIoEventLoop(this, executor, io, Integer.MAX_VALUE, RejectedExecutionHandlers.reject(),
          TASK_QUANTUM_MS);
    }
  }

  /** The core thread as an executor: tasks in submission order, and timers. */
  EventLoop executor() {
    return loop;
  }

  /** The Vert.x context on the core thread: sockets opened from it are served by it. */
  Context context() {
    return context;
  }

  /** Stops the thread once its queued tasks have run (close the sockets on it first). */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
