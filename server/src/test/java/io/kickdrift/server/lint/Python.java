package io.kickdrift.server.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Python 3 as the peer of the shlex ITs: what Python's own shlex makes of the test's lines. */
public final class Python {
  private Python() {}

  /** The lines {@code script} prints when run on {@code input}; it must exit 0. */
  public static List<String> run(Path dir, String script, Path input) throws Exception {
    Path py = Files.writeString(dir.resolve("script.py"), script);
    Cmd.Result r = Cmd.run(List.of("python3", py.toString(), input.toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    return r.lines();
  }
}
