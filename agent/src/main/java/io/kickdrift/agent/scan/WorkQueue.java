package io.kickdrift.agent.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps a list on a few threads that each take the next item as they finish one. File sizes vary by
 * six orders of magnitude, so static splitting (parallel streams) leaves one core idle while the
 * other hashes the chunk that happened to hold the big files.
 */
final class WorkQueue {
  private WorkQueue() {}

  /** Applies {@code fn} to every item; {@code null} results are dropped. Order is not kept. */
  static <T, R> List<R> map(List<T> items, Function<T, R> fn, int threads) throws IOException {
    AtomicInteger next = new AtomicInteger();
    int n = Math.min(threads, Math.max(1, items.size()));
    List<List<R>> results = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < n; t++) {
      List<R> out = new ArrayList<>();
      results.add(out);
      Runnable work =
          () -> {
            for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
              R r = fn.apply(items.get(i));
              if (r != null) {
                out.add(r);
              }
            }
          };
      Thread w = new Thread(work, "kickdrift-scan-" + t);
      w.setUncaughtExceptionHandler(
          (th, e) -> {
            synchronized (failure) {
              failure[0] = e;
            }
            next.set(items.size());
          });
      workers.add(w);
      w.start();
    }
    try {
      for (Thread w : workers) {
        w.join();
      }
    } catch (InterruptedException e) {
      next.set(items.size());
      Thread.currentThread().interrupt();
      throw new IOException("scan interrupted", e);
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IOException("scan failed: " + failure[0], failure[0]);
      }
    }
    List<R> all = new ArrayList<>();
    results.forEach(all::addAll);
    return all;
  }
}
