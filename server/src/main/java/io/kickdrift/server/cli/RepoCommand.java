package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code kickdrift repo}: work on a config repository that scans commit to. */
@Command(
    name = "repo",
    mixinStandardHelpOptions = true,
    description = "Works on a config repository of scans. See docs/config-repo.md.",
    subcommands = {RepoAuditCommand.class})
final class RepoCommand extends CommandGroup {}
