package io.kickdrift.server.cli;

import io.kickdrift.agent.state.StateDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --users FILE}: the console's users, for serve and the user and token commands. */
final class UsersOption {
  @Option(
      names = "--users",
      paramLabel = "FILE",
      description =
          "The console's users and their password hashes (default users.yaml in the state"
              + " directory); managed by kickdrift user; docs/security.md.")
  Path file;

  /** The file given, else {@code users.yaml} in {@code state}. */
  Path file(StateDir state) {
    return file != null ? file : state.users();
  }
}
