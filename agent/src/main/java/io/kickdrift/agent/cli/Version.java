package io.kickdrift.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The version of kickdrift, from the jar's manifest ({@code dev} when not run from a jar): what
 * {@code --version} prints after the command's name, and what scans record.
 */
public final class Version implements CommandLine.IVersionProvider {
  @CommandLine.Spec CommandSpec spec;

  /** {@code 0.1.0}, or {@code dev} outside a jar. */
  public static String number() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {spec.name() + " " + number()};
  }
}
