package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift export}: the desired state in another tool's form. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Writes the desired state for another tool. See docs/desired-state.md.",
    subcommands = {ExportAnsibleCommand.class})
final class ExportCommand extends CommandGroup {}
