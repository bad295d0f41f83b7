package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real tools (dpkg, debsums, the agent jar) for integration tests. A tool that is missing
 * fails the test with the package to install: in CI a missing peer is a failure, never a skip.
 */
public final class Cmd {
  /** What a process printed and how it ended. */
  public record Result(int exit, String out, String err) {
    public List<String> lines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
  }

  private Cmd() {}

  public static Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  public static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("cmd", ".out");
    Path err = Files.createTempFile("cmd", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + command);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs and requires exit 0. */
  public static Result ok(String... command) throws IOException, InterruptedException {
    Result r = run(List.of(command));
    assertThat(r.exit())
        .as("%s failed:%n%s%s", String.join(" ", command), r.out(), r.err())
        .isZero();
    return r;
  }

  /** Fails with {@code message} unless the tests run as root. */
  public static void requireRoot(String message) {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError(message);
    }
  }

  /** Fails, naming the Debian package, when {@code tool} is not on the PATH. */
  public static void require(String tool, String debianPackage) {
    requireAll(tool + "=" + debianPackage);
  }

  /**
   * Fails, naming every missing tool and one apt-get line for them all, when any of the peers a
   * test uses is not on the PATH; each given as {@code tool=debian-package}.
   */
  public static void requireAll(String... toolEqualsPackage) {
    List<String> tools = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    for (String peer : toolEqualsPackage) {
      String tool = peer.substring(0, peer.indexOf('='));
      if (!onPath(tool)) {
        tools.add(tool);
        packages.add(peer.substring(peer.indexOf('=') + 1));
      }
    }
    if (!tools.isEmpty()) {
      throw new AssertionError(
          String.join(", ", tools)
              + (tools.size() == 1 ? " is" : " are")
              + " not installed: apt-get install -y "
              + String.join(" ", packages)
              + " (see .ci/run)");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs the shaded agent jar this build made, as {@code java -jar}. */
  public static Result agent(String... args) throws IOException, InterruptedException {
    return agentAs(List.of(), args);
  }

  /**
   * The same, behind a prefix such as {@code setpriv --reuid=65534 …}: see {@link #readableCopy}.
   */
  public static Result agentAs(List<String> prefix, String... args)
      throws IOException, InterruptedException {
    if (prefix.isEmpty()) {
      return run(javaJar(prefix, "target/kickdrift-agent.jar", args));
    }
    Path copy = readableCopy(Path.of("target/kickdrift-agent.jar"));
    try {
      return run(javaJar(prefix, copy.toString(), args));
    } finally {
      deleteCopy(copy);
    }
  }

  /**
   * A copy of {@code file} (0644) in a new directory (0755) under the system's temp directory, for
   * a command run as another user: that user may not reach the checkout (a clone under {@code
   * mktemp -d} is 0700). Remove it with {@link #deleteCopy}.
   */
  public static Path readableCopy(Path file) throws IOException {
    Path dir =
        Files.createTempDirectory(
            "kickdrift-readable",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path copy = dir.resolve(file.getFileName());
    Files.copy(file, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    return copy;
  }

  /** Removes a {@link #readableCopy} and its directory. */
  public static void deleteCopy(Path copy) throws IOException {
    Files.deleteIfExists(copy);
    Files.deleteIfExists(copy.getParent());
  }

  /** Runs the server's {@code kickdrift.jar} (from the server module), as {@code java -jar}. */
  public static Result kickdrift(String... args) throws IOException, InterruptedException {
    return run(javaJar(List.of(), "target/kickdrift.jar", args));
  }

  /** {@code prefix... java -jar JAR args...}, JAR relative to the module's directory. */
  public static List<String> javaJar(List<String> prefix, String jarPath, String... args) {
    Path jar = Path.of(jarPath).toAbsolutePath();
    assertThat(jar).as("run after mvn package").exists();
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
