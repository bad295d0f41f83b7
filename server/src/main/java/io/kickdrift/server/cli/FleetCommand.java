package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift fleet}: work on many inventory hosts over SSH. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Works on the inventory's hosts over SSH.",
    subcommands = {FleetScanCommand.class})
final class FleetCommand extends CommandGroup {}
