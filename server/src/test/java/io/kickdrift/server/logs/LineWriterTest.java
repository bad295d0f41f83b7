package io.kickdrift.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LineWriterTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void everyLineOfManyThreadsIsWrittenOnceInEachThreadsOrder() throws Exception {
    LineWriter w = LineWriter.start(out, "test lines");
    int threads = 8;
    int each = 5_000;
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  w.line(id + " " + i);
                }
              });
      th.start();
      started.add(th);
    }
    for (Thread th : started) {
      th.join();
    }
    w.close();
    List<String> lines = lines();
    assertThat(lines).hasSize(threads * each).doesNotHaveDuplicates();
    int[] next = new int[threads];
    for (String l : lines) {
      String[] f = l.split(" ");
      int t = Integer.parseInt(f[0]);
      assertThat(Integer.parseInt(f[1])).as("thread %d's lines in order", t).isEqualTo(next[t]++);
    }
  }

  @Test
  void flushWaitsForTheLinesBeforeItAndLinesAfterCloseAreWrittenByTheirCaller() {
    LineWriter w = LineWriter.start(out, "test lines");
    w.line("one");
    w.line("two");
    w.flush();
    assertThat(lines()).containsExactly("one", "two");
    w.close();
    w.line("three");
    assertThat(lines()).containsExactly("one", "two", "three");
  }

  @Test
  void aLongBacklogMakesTheWriterCatchUpAndLosesNothing() {
    // a stream that writes slowly: the appending thread must wait past MAX_CHARS, not drop lines
    PrintStream slow =
        new PrintStream(bytes, false, StandardCharsets.UTF_8) {
          @Override
          public void flush() {
            super.flush();
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    LineWriter w = LineWriter.start(slow, "slow lines");
    String line = "x".repeat(1000);
    int n = 3 * LineWriter.MAX_CHARS / line.length();
    for (int i = 0; i < n; i++) {
      w.line(line);
    }
    w.close();
    assertThat(lines()).hasSize(n).containsOnly(line);
  }

  @Property
  void theTimeIsInstantsOwnText(@ForAll long millis) {
    assertThat(LineAppender.time(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
  }

  @Test
  void theTimeOfTheSameSecondAndOfWholeSeconds() {
    long t = Instant.parse("2026-12-06T03:23:18Z").toEpochMilli();
    assertThat(LineAppender.time(t)).isEqualTo("2026-12-06T03:23:18Z");
    assertThat(LineAppender.time(t + 7)).isEqualTo("2026-12-06T03:23:18.007Z");
    assertThat(LineAppender.time(t + 70)).isEqualTo("2026-12-06T03:23:18.070Z");
    assertThat(LineAppender.time(t + 999)).isEqualTo("2026-12-06T03:23:18.999Z");
    assertThat(LineAppender.time(t - 1)).isEqualTo("2026-12-06T03:23:17.999Z");
  }
}
