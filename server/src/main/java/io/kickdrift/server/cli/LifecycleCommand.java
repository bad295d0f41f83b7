package io.kickdrift.server.cli;

import io.kickdrift.agent.cli.JsonOption;
import io.kickdrift.server.serve.Provisioner;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A lifecycle command ({@code hosts}, {@code netboot}): one task on the provisioner over the
 * inventory and the server's database, printing text or, with {@code --json}, a document.
 */
abstract class LifecycleCommand implements Callable<Integer> {
  @Mixin StateOptions options = new StateOptions();

  @Mixin JsonOption json = new JsonOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  PrintStream stdout = System.out;
  PrintStream stderr = System.err;

  /** What the command does with the provisioner; returns the exit status. */
  abstract int apply(Provisioner p) throws IOException;

  @Override
  public Integer call() {
    return options.run(spec.name(), stderr, this::apply);
  }
}
