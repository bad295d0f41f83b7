package io.kickdrift.agent.cli;

import io.kickdrift.agent.repo.ConfigRepo;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --push} and how to reach the remote: where a scan's commit goes once it is made. */
final class PushOptions {
  @Option(
      names = "--push",
      paramLabel = "REMOTE",
      description =
          "After committing, push the repository's branch to REMOTE (path, file://, http(s)://,"
              + " ssh://); exit 2 if that fails.")
  String remote;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "Remote branch for --push (default: drift/HOST).")
  String branch;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description =
          "SSH host keys for --push are checked against this file only (default:"
              + " ~/.ssh/known_hosts); unknown or changed keys are refused.")
  Path knownHosts;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "SSH private key for --push (default: ~/.ssh/id_*).")
  Path identity;

  @Option(
      names = "--push-credentials",
      paramLabel = "FILE",
      description =
          "user:password on the first line of FILE, for --push to http(s):// remotes that ask for"
              + " a login; never given to SSH.")
  Path credentials;

  /** Whether any of these options was given. */
  boolean given() {
    return remote != null
        || branch != null
        || knownHosts != null
        || identity != null
        || credentials != null;
  }

  /** Refuses the options that say how to push when there is no {@code --push}. */
  void check() {
    if (remote == null && given()) {
      throw new IllegalArgumentException(
          "--branch, --known-hosts, --identity and --push-credentials need --push");
    }
  }

  boolean pushes() {
    return remote != null;
  }

  String remote() {
    return remote;
  }

  /** The remote branch a scan of {@code host} is pushed to. */
  String branch(String host) {
    return branch != null ? branch : "drift/" + host;
  }

  ConfigRepo.PushTarget target(String host) {
    return new ConfigRepo.PushTarget(remote, branch(host), knownHosts, identity, credentials);
  }
}
