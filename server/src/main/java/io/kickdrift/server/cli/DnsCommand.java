package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift dns}: the inventory's host records in the site's DNS. */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description =
        "Keeps the inventory's A/AAAA and PTR records in the site's DNS. See docs/dns.md.",
    subcommands = {DnsSyncCommand.class})
final class DnsCommand extends CommandGroup {}
