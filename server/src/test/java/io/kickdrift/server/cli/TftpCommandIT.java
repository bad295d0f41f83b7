package io.kickdrift.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kickdrift tftp} (the standalone server bench/tftp.sh runs; once a class of its own) serves
 * a directory to curl from the jar, prints where it listens, and closes on SIGTERM.
 */
class TftpCommandIT {
  @Test
  void servesADirectoryUntilStopped(@TempDir Path dir) throws Exception {
    Cmd.require("curl", "curl");
    Path root = Files.createDirectories(dir.resolve("root"));
    byte[] content = new byte[100_000];
    new java.util.Random(17).nextBytes(content);
    Files.write(root.resolve("pxelinux.0"), content);
    Path jar = Path.of("target/kickdrift.jar").toAbsolutePath();
    assertThat(jar).as("run after mvn package").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(java, "-jar", jar.toString(), "tftp", "--root=" + root, "--port=0", "--quiet");
    // loopback only
    List<String> bound = new java.util.ArrayList<>(command);
    bound.add("--bind=127.0.0.1");
    Process server = new ProcessBuilder(bound).redirectErrorStream(true).start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      Matcher at =
          Pattern.compile(
                  "tftp serving " + Pattern.quote(root.toString()) + " on 127\\.0\\.0\\.1:(\\d+)")
              .matcher(String.valueOf(first));
      assertThat(at.matches()).as(first).isTrue();
      Path local = dir.resolve("got");
      String url = "tftp://127.0.0.1:" + at.group(1) + "/pxelinux.0";
      Cmd.Result r = Cmd.run(List.of("curl", "-sS", "--max-time", "30", "-o", local + "", url));
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(Files.readAllBytes(local)).isEqualTo(content);
      // SIGTERM by hand: Process.destroy() would close the output still to be read
      assertThat(Cmd.run(List.of("kill", "-TERM", Long.toString(server.pid()))).exit()).isZero();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // the JVM's status after a signal, once the hook has closed the server
      assertThat(server.exitValue()).isEqualTo(143);
      assertThat(out.lines()).containsExactly("stopping (signal)", "stopped");
    } finally {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
