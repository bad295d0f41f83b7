package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.agent.scan.GlobRules;
import io.kickdrift.server.desired.ProfileVariants;
import io.kickdrift.server.desired.Variants;
import io.kickdrift.server.drift.DriftRepo;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code drift variants}: per path of a profile's hosts, the distinct contents and who holds each
 * (docs/desired-state.md). Its help text is in {@code DriftVariantsCommand.properties}.
 */
@Command(name = "variants", mixinStandardHelpOptions = true)
final class DriftVariantsCommand implements Callable<Integer> {
  @Option(names = "--repo", paramLabel = "DIR", required = true)
  Path repo;

  @Mixin InventoryOption inventory = new InventoryOption();

  @Option(names = "--profile", paramLabel = "NAME")
  String profile;

  @Option(names = "--path", paramLabel = "GLOB")
  List<String> paths = new ArrayList<>();

  @Mixin JsonOption json = new JsonOption();

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    List<ProfileVariants> results;
    try (DriftRepo r = DriftRepo.open(repo)) {
      Inventory inv = InventoryLoader.load(inventory.file());
      GlobRules only = paths.isEmpty() ? null : GlobRules.parse("--path", String.join("\n", paths));
      results =
          ProfileVariants.read(
              r, repo.toString(), inv, profile, path -> only == null || only.matches(path, false));
    } catch (InventoryException | IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("kickdrift drift variants: " + ErrorText.of(e));
      return 2;
    }
    if (json.on()) {
      out.println(JsonOption.text(results.stream().map(ProfileVariants::json).toList()));
    } else {
      out.print(text(results));
    }
    out.flush();
    return 0;
  }

  static String text(List<ProfileVariants> results) {
    StringBuilder b = new StringBuilder();
    for (ProfileVariants r : results) {
      b.append("profile ")
          .append(r.profile().name())
          .append(": ")
          .append(count(r.profile().scanned().size(), "host"))
          .append(" scanned, ")
          .append(count(r.paths().size(), "path"));
      if (!r.profile().notScanned().isEmpty()) {
        b.append("; not in the repository: ").append(String.join(" ", r.profile().notScanned()));
      }
      b.append('\n');
      for (Variants.Path p : r.paths()) {
        b.append(p.path())
            .append("  ")
            .append(count(p.hosts(), "host"))
            .append(", ")
            .append(count(p.variants().size(), "variant"));
        if (!p.outliers().isEmpty()) {
          b.append(", outliers: ").append(String.join(" ", p.outliers()));
        }
        String owner = r.owners().ownerOf(p.path());
        b.append(owner == null ? ", unclaimed" : ", owner " + owner);
        b.append('\n');
        for (Variants.Variant v : p.variants()) {
          b.append("  ")
              .append(v.number())
              .append("  ")
              .append(v.kind())
              .append("  ")
              .append(count(v.hosts().size(), "host"))
              .append(": ")
              .append(String.join(" ", v.hosts()));
          if (!v.variables().isEmpty()) {
            b.append("  with host.").append(String.join(", host.", v.variables()));
          }
          if (v.link() != null) {
            b.append("  -> ").append(v.link());
          } else if (v.blob() != null && !v.kind().equals("template")) {
            b.append("  blob ").append(v.blob(), 0, 12);
          }
          b.append('\n');
        }
      }
    }
    return b.toString();
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
