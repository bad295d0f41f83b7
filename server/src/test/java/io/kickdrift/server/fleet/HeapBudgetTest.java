package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {
  /** Whether {@code acquire(bytes)} gets in within 200 ms (the budget left as it was if not). */
  private static boolean entersSoon(HeapBudget b, long bytes) throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Long> f =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.acquire(bytes);
                } catch (InterruptedException e) {
                  return -1L;
                }
              },
              one);
      try {
        f.get(200, TimeUnit.MILLISECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        one.shutdownNow(); // interrupts the waiter: it takes nothing
        one.awaitTermination(5, TimeUnit.SECONDS);
        return false;
      }
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void admitsWhatFitsThenWaitsForARelease() throws Exception {
    HeapBudget b = new HeapBudget(100, 8);
    long a = b.acquire(60);
    assertThat(entersSoon(b, 30)).isTrue();
    assertThat(entersSoon(b, 20)).as("60 + 30 + 20 > 100").isFalse();
    assertThat(b.used()).isEqualTo(90);
    b.release(a);
    assertThat(entersSoon(b, 20)).isTrue();
    assertThat(b.used()).isEqualTo(50);
    assertThat(b.holders()).isEqualTo(2);
  }

  @Test
  void oneLargerThanTheWholeGoesInAloneAndKeepsTheRestOut() throws Exception {
    HeapBudget b = new HeapBudget(100, 8);
    long small = b.acquire(10);
    assertThat(entersSoon(b, 500)).as("not beside another").isFalse();
    b.release(small);
    assertThat(entersSoon(b, 500)).isTrue();
    assertThat(b.used()).isEqualTo(100);
    assertThat(entersSoon(b, 1)).isFalse();
  }

  @Test
  void noMoreHoldersThanAllowedHoweverSmall() throws Exception {
    HeapBudget b = new HeapBudget(1_000, 2);
    b.acquire(1);
    b.acquire(1);
    assertThat(entersSoon(b, 1)).isFalse();
    b.release(1);
    assertThat(entersSoon(b, 0)).isTrue();
  }

  /** Many threads, random sizes: never more than the capacity held but by one alone. */
  @Test
  void underContentionTheBoundHolds() throws Exception {
    HeapBudget b = new HeapBudget(100, 4);
    AtomicReference<String> broken = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Random r = new Random(t);
      all.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 300; i++) {
                  long want = r.nextInt(10) == 0 ? 150 : r.nextInt(60);
                  try {
                    long taken = b.acquire(want);
                    long used = b.used();
                    int holders = b.holders();
                    if (holders > 4 || (used > 100 && holders > 1)) {
                      broken.compareAndSet(null, used + " bytes by " + holders);
                    }
                    Thread.onSpinWait();
                    b.release(taken);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
              },
              pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(broken.get()).isNull();
    assertThat(b.used()).isZero();
    assertThat(b.holders()).isZero();
  }
}
