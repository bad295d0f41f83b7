package io.kickdrift.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framing against this machine's {@code sh} (dash on Debian), the shell a host runs. */
class ShellChannelTest {
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
  }

  /** Opens {@code sh -c COMMAND} here, as an exec channel would on a host. */
  private ShellChannel local(Duration timeout) throws Exception {
    return new ShellChannel(
        "local",
        null,
        command -> {
          try {
            Process p = new ProcessBuilder("sh", "-c", command).start();
            started.add(p);
            CompletableFuture<byte[]> err =
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return p.getErrorStream().readAllBytes();
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
            return new ShellChannel.Process() {
              @Override
              public OutputStream stdin() {
                return p.getOutputStream();
              }

              @Override
              public InputStream stdout() {
                return p.getInputStream();
              }

              @Override
              public String stderr() {
                return new String(err.join(), StandardCharsets.UTF_8);
              }

              @Override
              public Integer exit() {
                try {
                  return p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : null;
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return null;
                }
              }

              @Override
              public void kill() {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
              }
            };
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        "exec sh",
        timeout);
  }

  @Test
  void runsCommandAfterCommandInOneShell() throws Exception {
    try (ShellChannel sh = local(Duration.ofSeconds(20))) {
      RemoteShell.Output a = sh.run("echo $$; printf 'x\\000y'; echo oops >&2; exit 3");
      assertThat(a.exit()).isEqualTo(3);
      assertThat(a.stderr()).isEqualTo("oops");
      String pid = a.text().substring(0, a.text().indexOf('\n'));
      assertThat(a.stdout()).endsWith('x', 0, 'y');

      RemoteShell.Output b = sh.run("echo $$");
      assertThat(b.exit()).isZero();
      assertThat(b.text()).isEqualTo(pid + "\n").as("the same shell");
      assertThat(b.stderr()).isEmpty();

      // no trailing newline, stdin closed, a failing command, a comment at the end
      assertThat(sh.run("printf abc").text()).isEqualTo("abc");
      assertThat(sh.run("cat; echo read-nothing").text()).isEqualTo("read-nothing\n");
      RemoteShell.Output c = sh.run("ls /nonexistent-kickdrift # a comment");
      assertThat(c.exit()).isEqualTo(2);
      assertThat(c.stderr()).contains("nonexistent-kickdrift");
      assertThat(sh.run("exec echo replaced").text()).isEqualTo("replaced\n");
      assertThat(sh.run("true").exit()).isZero();
    }
  }

  @Test
  void streamsBinaryOutputThroughWhole(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("sent.bin");
    try (ShellChannel sh = local(Duration.ofSeconds(20))) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      // 3 MiB of every byte value, and a line that starts like the frame's end but is not it
      RemoteShell.Output o =
          sh.run(
              "i=0; while [ $i -lt 12 ]; do head -c 262144 /dev/urandom; i=$((i+1)); done | tee "
                  + RemoteShell.quote(copy.toString())
                  + "; printf '\\n0123 0\\n'",
              sink);
      assertThat(o.exit()).isZero();
      assertThat(o.stdout()).isEmpty();
      byte[] sent = Files.readAllBytes(copy);
      assertThat(sent).hasSize(3 << 20);
      byte[] got = sink.toByteArray();
      assertThat(got).hasSize(sent.length + 8);
      assertThat(Arrays.copyOf(got, sent.length)).isEqualTo(sent);
      assertThat(sh.run("echo after").text()).isEqualTo("after\n");
    }
  }

  @Test
  void aCommandThatHangsTimesOutAndEndsTheShell() throws Exception {
    try (ShellChannel sh = local(Duration.ofMillis(500))) {
      assertThat(sh.run("echo fine").text()).isEqualTo("fine\n");
      assertThatThrownBy(() -> sh.run("sleep 30"))
          .isInstanceOf(IOException.class)
          .hasMessage("local: command timed out after 0.5 s: sleep 30");
      assertThatThrownBy(() -> sh.run("echo again"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("local: ");
    }
  }

  /** Where a shell is in its output after a failed read is unknown: it runs nothing more. */
  @Test
  void aSinkThatFailsEndsTheShell() throws Exception {
    try (ShellChannel sh = local(Duration.ofSeconds(20))) {
      OutputStream full =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              throw new IOException("No space left on device");
            }
          };
      assertThatThrownBy(() -> sh.run("head -c 200000 /dev/zero", full))
          .isInstanceOf(IOException.class)
          .hasMessage("local: head -c 200000 /dev/zero: No space left on device");
      assertThatThrownBy(() -> sh.run("echo next"))
          .isInstanceOf(IOException.class)
          .hasMessage("local: the shell was ended after a command failed; not run: echo next");
    }
  }

  @Test
  void aShellThatEndsIsAnErrorNamingTheCommand() throws Exception {
    try (ShellChannel sh = local(Duration.ofSeconds(20))) {
      // a syntax error ends a non-interactive shell
      assertThatThrownBy(() -> sh.run("if then fi"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("local: the shell ended (exit 2) while running: if then fi: ");
    }
  }

  @Test
  void framingReadsWhatTheScriptPrintsAndRefusesWhatItDoesNot() throws Exception {
    ShellChannel.Framing f = new ShellChannel.Framing("abc");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ShellChannel.Framing.Ended e = f.read(in("data\nabx more\nabc 7\nerr line\nabc\n"), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("data\nabx more");
    assertThat(e).isEqualTo(new ShellChannel.Framing.Ended(7, "err line"));
    assertThat(f.read(in("data\nabc 7\nerr"), new ByteArrayOutputStream())).isNull();
    assertThat(f.read(in("data"), new ByteArrayOutputStream())).isNull();
    assertThatThrownBy(() -> f.read(in("\nabc x\n\nabc\n"), new ByteArrayOutputStream()))
        .hasMessage("not an exit status after the command's output: 'x'");
    assertThatThrownBy(() -> f.read(in("\nabc 0\n\nabc\nextra"), new ByteArrayOutputStream()))
        .hasMessage("output after the end of a command's frame: 5 bytes");
  }

  private static InputStream in(String s) {
    return new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
