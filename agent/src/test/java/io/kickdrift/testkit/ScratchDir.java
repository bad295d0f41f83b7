package io.kickdrift.testkit;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's scratch directory: made before its {@code @BeforeAll} methods run, removed after
 * its {@code @AfterAll} ones, even when a test failed; one directory for a class and its
 * {@code @Nested} classes. Removed by {@code rm -rf}, not by Java (nor JUnit's {@code @TempDir}):
 * the roots the tests build hold names that are not UTF-8, files of mode 000 and links in loops.
 *
 * <p>Example: {@code @RegisterExtension static final ScratchDir scratch = new
 * ScratchDir("kd-repo-it");}, then {@code scratch.path()}.
 */
public final class ScratchDir implements BeforeAllCallback, AfterAllCallback {
  private final String prefix;
  private boolean traversable;
  private Path path;

  /** How many test classes are in it: a {@code @Nested} class runs inside its outer one's. */
  private int depth;

  public ScratchDir(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Makes the directory rwxr-xr-x (a temporary directory is rwx------), for what runs in it as
   * another user: a scan as nobody, a login through sshd.
   */
  public ScratchDir traversable() {
    traversable = true;
    return this;
  }

  /**
   * The directory; only between the class's first {@code @BeforeAll} and last {@code @AfterAll}.
   */
  public Path path() {
    if (path == null) {
      throw new IllegalStateException(prefix + ": no scratch directory outside the test class");
    }
    return path;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (depth++ > 0) {
      return; // a nested class shares its outer class's directory
    }
    path = Files.createTempDirectory(prefix);
    if (traversable) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (--depth > 0) {
      return;
    }
    if (path != null) {
      Cmd.ok("rm", "-rf", path.toString());
      path = null;
    }
  }
}
