package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.server.desired.ansible.AnsibleExport;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.InventoryException;
import io.kickdrift.server.inventory.InventoryLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export ansible}: the desired tree as an Ansible project (docs/desired-state.md). Its help
 * text is in {@code ExportAnsibleCommand.properties}.
 */
@Command(name = "ansible", mixinStandardHelpOptions = true)
final class ExportAnsibleCommand implements Callable<Integer> {
  @Mixin InventoryOption inventory = new InventoryOption();

  @Mixin DesiredOption desired = new DesiredOption();

  @Option(names = "--out", paramLabel = "DIR", required = true)
  Path out;

  @Option(names = "--vault-password-file", paramLabel = "FILE")
  Path vaultPasswordFile;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  @Override
  public Integer call() {
    Path tree = desired.dir(inventory.file());
    try {
      char[] password = null;
      if (vaultPasswordFile != null) {
        String first =
            Files.readString(vaultPasswordFile, StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElse("");
        if (first.isEmpty()) {
          throw new IllegalArgumentException(
              vaultPasswordFile + ": expected the vault password on its first line");
        }
        password = first.toCharArray();
      }
      Inventory inv = InventoryLoader.load(inventory.file());
      AnsibleExport.Result r = AnsibleExport.export(inv, tree, out, password);
      r.warnings().forEach(w -> stderr.println("warning: " + w));
      stdout.println(
          out
              + ": "
              + r.written().size()
              + " files written; run: ansible-playbook -i "
              + out.resolve("inventory.yml")
              + " "
              + out.resolve("site.yml"));
      return 0;
    } catch (InventoryException | IOException | IllegalArgumentException e) {
      stderr.println("kickdrift export ansible: " + ErrorText.of(e));
      return 2;
    }
  }
}
