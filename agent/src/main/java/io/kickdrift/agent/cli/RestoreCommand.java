package io.kickdrift.agent.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kickdrift.agent.repo.Restore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code restore}: writes a host's committed files back under a root. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a host's files from a config repository back under a root: content, mode, owner,"
          + " group and links; removes files the manifest marks missing. Reads the repository"
          + " only.",
      "Exit status: 0 done (or nothing to do), 1 done with warnings (skipped secrets, unknown"
          + " owners), 2 error (nothing written when the manifest or the root refuse it)."
    })
public final class RestoreCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository.")
  Path repo;

  @Option(
      names = "--host",
      required = true,
      paramLabel = "NAME",
      description = "The host's directory in the repository.")
  String host;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Write under DIR.")
  Path root;

  @Option(names = "--dry-run", description = "Print what would change; write nothing.")
  boolean dryRun;

  @Option(
      names = "--ref",
      paramLabel = "REV",
      description = "Restore this revision (default: the branch HEAD names).")
  String ref;

  @Option(
      names = "--decrypt-with",
      paramLabel = "KEYFILE",
      description =
          "Open secrets committed with --encrypt-to, with this secret key (as gpg"
              + " --export-secret-keys writes it).")
  Path decryptWith;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The secret key's passphrase, first line of FILE (default: none).")
  Path passphraseFile;

  @Mixin JsonOption json = new JsonOption();

  PrintStream out = System.out;
  PrintStream err = System.err;

  private char[] passphrase() throws IOException {
    if (passphraseFile == null) {
      return new char[0];
    }
    String text = Files.readString(passphraseFile);
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).toCharArray();
  }

  @Override
  public Integer call() {
    // with --json, the action lines wait for the document (and go to stderr if it fails)
    List<String> done = new ArrayList<>();
    try {
      if (passphraseFile != null && decryptWith == null) {
        throw new IllegalArgumentException("--passphrase-file goes with --decrypt-with");
      }
      Restore.Decryptor decryptor =
          decryptWith == null ? null : Restore.Decryptor.withKey(decryptWith, passphrase());
      Restore.Result r =
          Restore.run(
              repo,
              host,
              ref,
              root.toAbsolutePath().normalize(),
              dryRun,
              decryptor,
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
