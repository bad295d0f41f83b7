package io.kickdrift.agent.cli;

import io.kickdrift.agent.config.Config;
import io.kickdrift.agent.state.StateDir;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code config show}: every key of every command, its effective value and where it came from (the
 * environment, FILE:LINE, or the built-in default). Help text in {@code
 * ConfigShowCommand.properties}.
 */
@Command(name = "show", mixinStandardHelpOptions = true)
final class ConfigShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JsonOption json = new JsonOption();

  /** One key as shown; {@code commands} are those with an option that reads it. */
  record Shown(String key, String value, String origin, List<String> commands) {}

  /** What {@code --json} prints. */
  record Document(String file, List<Shown> keys) {}

  @Override
  public Integer call() {
    Config config = Config.of(spec).orElseThrow();
    List<Shown> shown = new ArrayList<>();
    for (Map.Entry<String, List<OptionSpec>> e : config.keys().entrySet()) {
      String key = e.getKey();
      List<String> commands =
          e.getValue().stream().map(o -> o.command().qualifiedName()).distinct().toList();
      shown.add(
          config
              .setting(key)
              .map(s -> new Shown(key, s.value(), s.origin(), commands))
              .orElseGet(() -> new Shown(key, builtIn(key, e.getValue()), "default", commands)));
    }
    String file = config.file().map(Object::toString).orElse(null);
    PrintWriter out = spec.commandLine().getOut();
    if (json.on()) {
      out.println(JsonOption.text(new Document(file, shown)));
    } else {
      out.println("# configuration file: " + (file == null ? "none" : file));
      for (Shown s : shown) {
        out.println(s.key() + ": " + s.value() + "  # " + s.origin());
      }
    }
    out.flush();
    return 0;
  }

  /** The value an option has when nothing sets it: its default, as the command line writes it. */
  private static String builtIn(String key, List<OptionSpec> options) {
    if (key.equals("state.dir")) {
      return StateDir.byDefault().dir().toString();
    }
    return String.join(",", Config.builtIn(options.get(0)));
  }
}
