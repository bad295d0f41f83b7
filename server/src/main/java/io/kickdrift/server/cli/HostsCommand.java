package io.kickdrift.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.server.serve.Provisioner;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code kickdrift hosts}: every inventory host with its install state. Its help text is in {@code
 * HostsCommand.properties}.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true)
final class HostsCommand extends LifecycleCommand {
  @Override
  int apply(Provisioner p) throws IOException {
    List<Provisioner.HostStatus> hosts = p.hosts();
    if (json.on()) {
      // one line, as hosts always printed it (scripts match it); other documents are indented
      stdout.println(
          new ObjectMapper()
              .writeValueAsString(hosts.stream().map(Provisioner.HostStatus::json).toList()));
    } else {
      stdout.print(table(hosts));
    }
    return 0;
  }

  /** Aligned columns: HOST PROFILE NETBOOT STATE INSTALLED MACS. */
  static String table(List<Provisioner.HostStatus> hosts) {
    String[] head = {"HOST", "PROFILE", "NETBOOT", "STATE", "INSTALLED", "MACS"};
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(head);
    for (Provisioner.HostStatus h : hosts) {
      rows.add(
          new String[] {
            h.host(),
            h.profile(),
            h.netboot() ? "on" : "off",
            h.state(),
            h.installed() == null ? "-" : h.installed().toString(),
            String.join(",", h.macs())
          });
    }
    int[] width = new int[head.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        out.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
