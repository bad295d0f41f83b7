package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.repo.ConfigRepo;
import io.kickdrift.server.desired.Adopt;
import io.kickdrift.server.desired.Owners;
import io.kickdrift.server.drift.DriftRepo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code claim}: records who owns the files a glob matches, in the config repository's {@code
 * owners.yaml}, and the forges' {@code CODEOWNERS} made from it (docs/desired-state.md). Its help
 * text is in {@code ClaimCommand.properties}.
 */
@Command(name = "claim", mixinStandardHelpOptions = true)
final class ClaimCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH-GLOB", descriptionKey = "glob")
  String glob;

  @Option(names = "--owner", paramLabel = "TEAM", required = true)
  String owner;

  @Option(names = "--note", paramLabel = "TEXT")
  String note;

  @Option(names = "--repo", paramLabel = "DIR", required = true)
  Path repo;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    try {
      Owners owners;
      try (DriftRepo r = DriftRepo.open(repo)) {
        owners = Owners.at(r, repo.toString());
      }
      String me = System.getProperty("user.name", "kickdrift");
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Owners next = owners.with(new Owners.Claim(glob, owner, note, me, now.toString()));
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(Owners.FILE, next.yaml().getBytes(StandardCharsets.UTF_8));
      files.putAll(next.codeowners());
      PersonIdent who = Adopt.author(me, now);
      String commit;
      try (ConfigRepo c = ConfigRepo.openOrCreate(repo)) {
        commit =
            c.commitTopFiles(
                files,
                who,
                "claim " + glob + " for " + owner + (note == null ? "" : "\n\n" + note + "\n"));
      }
      out.println(
          glob
              + " claimed by "
              + owner
              + (commit == null ? " (already so)" : "; commit " + commit.substring(0, 12))
              + ": owners.yaml, .github/CODEOWNERS, .gitlab/CODEOWNERS, .gitea/CODEOWNERS");
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("kickdrift claim: " + ErrorText.of(e));
      return 2;
    }
  }
}
