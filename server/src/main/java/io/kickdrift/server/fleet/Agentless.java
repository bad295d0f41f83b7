package io.kickdrift.server.fleet;

import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.agent.scan.ScanReport;
import java.io.IOException;
import java.util.List;

/** Placeholder until the agentless builder lands (branch agentless). */
public final class Agentless {
  public record Request(
      String host,
      String root,
      List<String> paths,
      boolean allFiles,
      GlobRules ignore,
      GlobRules secrets) {}

  public static ScanReport scan(RemoteShell sh, Request r) throws IOException, SshException {
    throw new IOException(sh.name() + ": agentless scans are not built yet");
  }
}
