package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift state}: back up and restore the state directory. */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description =
        "Backs up, restores and migrates the state: database, keys, tokens (docs/state.md).",
    subcommands = {StateBackupCommand.class, StateRestoreCommand.class, StateMigrateCommand.class})
final class StateCommand extends CommandGroup {}
