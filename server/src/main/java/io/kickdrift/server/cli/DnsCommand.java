package io.kickdrift.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kickdrift dns}: the inventory's host records in the site's DNS. */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description =
        "Keeps the inventory's A/AAAA and PTR records in the site's DNS. See docs/dns.md.",
    subcommands = {DnsSyncCommand.class})
final class DnsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand (sync)");
  }
}
