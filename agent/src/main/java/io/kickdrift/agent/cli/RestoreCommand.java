package io.kickdrift.agent.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kickdrift.agent.repo.Restore;
import io.kickdrift.agent.repo.SecretDigestKey;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code restore}: writes a host's committed files back under a root. Its help text is in {@code
 * RestoreCommand.properties}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true)
public final class RestoreCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, paramLabel = "DIR")
  Path repo;

  @Option(names = "--host", required = true, paramLabel = "NAME")
  String host;

  @Option(names = "--root", required = true, paramLabel = "DIR")
  Path root;

  @Option(names = "--dry-run")
  boolean dryRun;

  @Option(names = "--ref", paramLabel = "REV")
  String ref;

  @Mixin DecryptOptions decrypt = new DecryptOptions();

  @Mixin JsonOption json = new JsonOption();

  @Mixin StateOption state = new StateOption();

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    // with --json, the action lines wait for the document (and go to stderr if it fails)
    List<String> done = new ArrayList<>();
    try {
      Restore.Decryptor decryptor = decrypt.decryptor();
      Restore.Result r =
          Restore.run(
              repo,
              host,
              ref,
              root.toAbsolutePath().normalize(),
              dryRun,
              decryptor,
              InlineSecrets.builtIn(),
              // Read, never made: a restore writes nothing to the state directory.
              SecretDigestKey.ifPresent(state.dir().secretDigestKey()),
              json.on() ? done::add : out::println);
      out.flush();
      r.warnings().forEach(w -> err.println("warning: " + w));
      if (json.on()) {
        out.println(
            JsonOption.text(
                new Restored(
                    host,
                    repo.toString(),
                    r.commit(),
                    root.toString(),
                    dryRun,
                    r.actions(),
                    r.warnings())));
        out.flush();
        return r.warnings().isEmpty() ? AgentMain.EXIT_CLEAN : AgentMain.EXIT_DRIFT;
      }
      int n = r.actions().size();
      err.println(
          (dryRun ? "dry run: " : "restored ")
              + host
              + " from "
              + repo
              + "@"
              + r.commit().substring(0, 12)
              + " onto "
              + root
              + ": "
              + (n == 0 ? "nothing to do" : n + (dryRun ? " would change" : " done"))
              + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warnings"));
      err.flush();
      return r.warnings().isEmpty() ? AgentMain.EXIT_CLEAN : AgentMain.EXIT_DRIFT;
    } catch (IOException | IllegalArgumentException e) {
      out.flush();
      done.forEach(err::println);
      err.println("kickdrift-agent restore: " + ErrorText.of(e));
      return AgentMain.EXIT_ERROR;
    }
  }

  /**
   * What {@code --json} prints: the summary line's facts, the action lines (as the text prints
   * them: {@code create PATH MODE OWNER:GROUP}, {@code update …}, {@code remove PATH} …) and the
   * warnings.
   */
  record Restored(
      String host,
      String repo,
      String commit,
      String root,
      @JsonProperty("dry-run") boolean dryRun,
      List<String> actions,
      List<String> warnings) {}
}
