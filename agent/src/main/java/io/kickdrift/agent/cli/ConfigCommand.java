package io.kickdrift.agent.cli;

import picocli.CommandLine.Command;

/** {@code config}: the configuration's commands ({@code show}). */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    subcommands = {ConfigShowCommand.class})
public final class ConfigCommand extends CommandGroup {}
