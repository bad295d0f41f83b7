package io.kickdrift.server.fleet;

/**
 * Admits work into the heap by the bytes it will hold: a holder waits while the others' bytes and
 * its own would pass the capacity, or while {@code maxHolders} hold already. A holder larger than
 * the capacity is admitted alone, so nothing waits for ever.
 *
 * <p>Example: {@code long taken = budget.acquire(4 * tarBytes); try { … } finally {
 * budget.release(taken); }}.
 */
final class HeapBudget {
  private final long capacity;
  private final int maxHolders;
  private long used;
  private int holders;

  HeapBudget(long capacity, int maxHolders) {
    if (capacity <= 0 || maxHolders <= 0) {
      throw new IllegalArgumentException("heap budget: " + capacity + " bytes, " + maxHolders);
    }
    this.capacity = capacity;
    this.maxHolders = maxHolders;
  }

  /** Waits for room for {@code bytes}; returns what was taken, to hand back to {@link #release}. */
  synchronized long acquire(long bytes) throws InterruptedException {
    long take = Math.max(0, Math.min(bytes, capacity));
    while (holders >= maxHolders || (holders > 0 && used + take > capacity)) {
      wait();
    }
    used += take;
    holders++;
    return take;
  }

  synchronized void release(long taken) {
    used -= taken;
    holders--;
    notifyAll();
  }

  /** Bytes held now. */
  synchronized long used() {
    return used;
  }

  /** How many hold now. */
  synchronized int holders() {
    return holders;
  }
}
