package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.serve.Provisioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kickdrift netboot enable|disable HOST}: reinstall at next boot, or not. Its help text is
 * in {@code NetbootCommand.properties}.
 */
@Command(name = "netboot", mixinStandardHelpOptions = true)
final class NetbootCommand extends LifecycleCommand {
  /** What to do. */
  public enum Action {
    enable,
    disable
  }

  @Parameters(index = "0", paramLabel = "enable|disable", descriptionKey = "action")
  Action action;

  @Parameters(index = "1", paramLabel = "HOST", descriptionKey = "host")
  String host;

  @Override
  int apply(Provisioner p) {
    boolean enabled = action == Action.enable;
    String by = "kickdrift netboot " + action + " by " + System.getProperty("user.name");
    return p.setNetboot(host, enabled, by)
        .map(
            h -> {
              if (json.on()) {
                stdout.println(JsonOption.text(h.json()));
                return 0;
              }
              stdout.println(
                  h.host()
                      + ": netboot "
                      + (h.netboot() ? "on" : "off")
                      + ", "
                      + h.state()
                      + (h.installExpires() == null ? "" : " until " + h.installExpires()));
              return 0;
            })
        .orElseGet(
            () -> {
              stderr.println(
                  "kickdrift netboot: unknown host "
                      + host
                      + " (not in "
                      + options.inventory.file()
                      + ")");
              return 2;
            });
  }
}
