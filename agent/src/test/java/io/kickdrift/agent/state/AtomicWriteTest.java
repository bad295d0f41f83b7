package io.kickdrift.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtomicWriteTest {
  @TempDir Path dir;

  /** Records each durable step, and fails the one named in {@code failAt}. */
  static final class Recorder implements AtomicWrite.Disk {
    final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    final Path base;
    String failAt = "never";

    Recorder(Path base) {
      this.base = base;
    }

    @Override
    public void sync(FileChannel channel, Path path) throws IOException {
      String step = "sync " + name(path);
      steps.add(step);
      if (step.startsWith(failAt)) {
        throw new IOException("injected: " + step);
      }
      AtomicWrite.Disk.REAL.sync(channel, path);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
      String step = "rename " + name(from) + " " + name(to);
      steps.add(step);
      if (step.startsWith(failAt)) {
        throw new IOException("injected: " + step);
      }
      AtomicWrite.Disk.REAL.rename(from, to);
    }

    /** "DIR" for the directory, "TMP" for a temporary file, else the file name. */
    private String name(Path p) {
      if (p.toAbsolutePath().equals(base.toAbsolutePath())) {
        return "DIR";
      }
      String n = p.getFileName().toString();
      return n.endsWith(".tmp") ? "TMP" : n;
    }
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void fileSyncedThenRenamedThenDirectorySynced() throws IOException {
    Path f = dir.resolve("state.bin");
    Recorder disk = new Recorder(dir);

    AtomicWrite.to(f).on(disk).write("new".getBytes(StandardCharsets.UTF_8));

    assertThat(disk.steps).containsExactly("sync TMP", "rename TMP state.bin", "sync DIR");
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(leftovers()).isEmpty();
  }

  /** A failed sync of the new file, or a failed rename: the old file stays, nothing is left. */
  @ParameterizedTest
  @CsvSource({"sync TMP, sync TMP", "rename, sync TMP|rename TMP known_hosts"})
  void aFailedStepReplacesNothingAndLeavesNoTemporary(String step, String steps)
      throws IOException {
    Path f = dir.resolve("known_hosts");
    Files.writeString(f, "old");
    Recorder disk = new Recorder(dir);
    disk.failAt = step;

    assertThatThrownBy(() -> AtomicWrite.to(f).on(disk).write("new".getBytes()))
        .hasMessageContaining("injected");

    assertThat(disk.steps).containsExactly(steps.split("\\|"));
    assertOnlyTheOldFile(f);
  }

  @Test
  void contentThatFailsHalfwayReplacesNothing() throws IOException {
    Path f = Files.writeString(dir.resolve("cache"), "old");

    assertThatThrownBy(
            () ->
                AtomicWrite.write(
                    f,
                    out -> {
                      out.write("half".getBytes());
                      throw new IOException("the writer broke");
                    }))
        .hasMessage("the writer broke");

    assertOnlyTheOldFile(f);
  }

  private void assertOnlyTheOldFile(Path f) throws IOException {
    assertThat(Files.readString(f)).isEqualTo("old");
    assertThat(leftovers()).isEmpty();
  }

  /** SIGKILL between write and rename: the old file, whole. */
  @Test
  void aKilledWriterLeavesTheOldFile() throws Exception {
    Path f = dir.resolve("stat.cache");
    Files.writeString(f, "old content");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Crasher.class.getName(),
                f.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      // The child says when half its content is written; then it waits to be killed.
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("written"));
      assertThat(line).as("the child's word").isEqualTo("written");
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    assertThat(Files.readString(f)).isEqualTo("old content");
  }

  /** Writes 1 MiB of a new content, says so, and never finishes. */
  public static final class Crasher {
    public static void main(String[] args) throws IOException {
      AtomicWrite.write(
          Path.of(args[0]),
          out -> {
            out.write(new byte[1 << 20]);
            out.flush();
            System.out.println("written");
            System.out.flush();
            try {
              Thread.sleep(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
  }

  @Test
  void aNewFileIsOwnerOnlyAndAReplacedOneKeepsItsMode() throws IOException {
    Path fresh = dir.resolve("fresh");
    AtomicWrite.write(fresh, "x".getBytes());
    assertThat(mode(fresh)).isEqualTo(0600);

    Path shared = dir.resolve("shared");
    Files.writeString(shared, "old");
    Files.setAttribute(shared, "unix:mode", 0644);
    AtomicWrite.write(shared, "new".getBytes());
    assertThat(mode(shared)).isEqualTo(0644);
    assertThat(Files.readString(shared)).isEqualTo("new");

    Path known = dir.resolve("known_hosts");
    AtomicWrite.to(known).modeIfNew(0644).write("a".getBytes());
    assertThat(mode(known)).isEqualTo(0644);
    Files.setAttribute(known, "unix:mode", 0640);
    AtomicWrite.to(known).modeIfNew(0644).write("b".getBytes());
    assertThat(mode(known)).isEqualTo(0640);
  }

  @Test
  void modeAndOwnerAsToldIncludingSetuid() throws IOException {
    Path f = dir.resolve("tool");
    Files.writeString(f, "old");
    Files.setAttribute(f, "unix:mode", 0600);
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");

    AtomicWrite.to(f).mode(04755).owner(uid, gid).write("new".getBytes());

    assertThat(mode(f)).isEqualTo(04755);
    assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(uid);
  }

  @Test
  void aPartIsKeptUntilCommittedThenSyncedRenamedAndTheDirectorySynced() throws IOException {
    Path target = dir.resolve("vmlinuz");
    Recorder disk = new Recorder(dir);
    AtomicWrite.Part part = AtomicWrite.to(target).on(disk).part();
    assertThat(part.path()).isEqualTo(dir.resolve(".vmlinuz.part"));
    Files.writeString(part.path(), "kernel");
    Files.setAttribute(part.path(), "unix:mode", 0644);

    part.commit();

    assertThat(disk.steps)
        .containsExactly("sync .vmlinuz.part", "rename .vmlinuz.part vmlinuz", "sync DIR");
    assertThat(Files.readString(target)).isEqualTo("kernel");
    assertThat(mode(target)).as("a part keeps its mode unless told").isEqualTo(0644);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aPreparedFileIsReadableBeforeCommitAndGoneWhenClosed() throws IOException {
    Path f = dir.resolve("inventory.yaml");
    Files.writeString(f, "old");
    try (AtomicWrite.Pending p = AtomicWrite.to(f).prepare(o -> o.write("new".getBytes()))) {
      assertThat(Files.readString(p.path())).isEqualTo("new");
      assertThat(Files.readString(f)).isEqualTo("old");
    }
    assertThat(Files.readString(f)).isEqualTo("old");
    assertThat(leftovers()).isEmpty();

    try (AtomicWrite.Pending p = AtomicWrite.to(f).prepare(o -> o.write("new".getBytes()))) {
      p.commit();
    }
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void createNewNeverReplacesAndLeavesNothingBehind() throws IOException {
    Path f = dir.resolve("admin.token");
    Recorder disk = new Recorder(dir);
    AtomicWrite.to(f).mode(0600).on(disk).createNew(o -> o.write("first".getBytes()));
    assertThat(disk.steps).containsExactly("sync TMP", "sync DIR");

    assertThatThrownBy(() -> AtomicWrite.to(f).createNew(o -> o.write("second".getBytes())))
        .isInstanceOf(FileAlreadyExistsException.class);

    assertThat(Files.readString(f)).isEqualTo("first");
    assertThat(mode(f)).isEqualTo(0600);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void replaceWithALinkSwapsItAndSyncsTheDirectory() throws IOException {
    Files.createDirectory(dir.resolve("gen1"));
    Files.createDirectory(dir.resolve("gen2"));
    Path out = dir.resolve("out");
    Files.createSymbolicLink(out, Path.of("gen1"));
    Path swap = dir.resolve(".out.swap");
    Files.createSymbolicLink(swap, Path.of("gen2"));
    Recorder disk = new Recorder(dir);

    AtomicWrite.to(out).on(disk).replaceWith(swap);

    assertThat(disk.steps).containsExactly("rename .out.swap out", "sync DIR");
    assertThat(Files.readSymbolicLink(out)).isEqualTo(Path.of("gen2"));
  }
}
