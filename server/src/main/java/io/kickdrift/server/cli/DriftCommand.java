package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift drift}: what the scans found, across a profile's hosts. */
@Command(
    name = "drift",
    mixinStandardHelpOptions = true,
    description = "Compares what scans found across hosts. See docs/desired-state.md.",
    subcommands = {DriftVariantsCommand.class})
final class DriftCommand extends CommandGroup {}
