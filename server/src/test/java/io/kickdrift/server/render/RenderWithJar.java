package io.kickdrift.server.render;

import io.kickdrift.agent.cli.Cmd;
import java.nio.file.Path;

/** {@code kickdrift render} run as the jar, as an administrator would, for the peer-tool ITs. */
public final class RenderWithJar {
  private RenderWithJar() {}

  /** Renders {@code inventory} into {@code out}, the state database under {@code state}. */
  public static Cmd.Result run(Path inventory, Path out, Path state) throws Exception {
    // render writes the state serve would use; it is made first, as for an administrator
    Cmd.Result init = Cmd.kickdrift("init", "--state", state.toString());
    if (init.exit() != 0) {
      return init;
    }
    return Cmd.kickdrift(
        "render",
        "--inventory",
        inventory.toString(),
        "--out",
        out.toString(),
        "--state",
        state.toString());
  }
}
