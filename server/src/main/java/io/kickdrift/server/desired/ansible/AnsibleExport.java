package io.kickdrift.server.desired.ansible;

import io.kickdrift.agent.state.AtomicWrite;
import io.kickdrift.server.desired.DesiredTree;
import io.kickdrift.server.desired.HostDesired;
import io.kickdrift.server.desired.HostValues;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Interface;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code kickdrift export ansible}: the desired tree as an Ansible project that plain {@code
 * ansible-core} runs (docs/desired-state.md, "Export to Ansible"): an inventory with a group per
 * profile, host_vars with each host's own values, one role per profile (and per host with files of
 * its own) whose tasks use only {@code ansible.builtin} modules, and {@code site.yml}. Secrets are
 * never written in clear: a desired file whose content is a secret is written as an Ansible Vault
 * file with the user's vault password ({@link AnsibleVault}); the copy module decrypts it on the
 * way to the host.
 */
public final class AnsibleExport {
  /** What was written, relative to the output directory, and warnings. */
  public record Result(List<String> written, List<String> warnings) {}

  /** Services reloaded when their configuration changes: path prefix to unit. */
  static final Map<String, String> SERVICES =
      new LinkedHashMap<>(
          Map.of(
              "/etc/nginx/", "nginx",
              "/etc/apache2/", "apache2",
              "/etc/ssh/sshd_config", "ssh",
              "/etc/postfix/", "postfix",
              "/etc/haproxy/", "haproxy",
              "/etc/chrony/", "chrony",
              "/etc/rsyslog", "rsyslog",
              "/etc/bind/", "named"));

  private AnsibleExport() {}

  public static Result export(Inventory inventory, Path desired, Path out, char[] vaultPassword)
      throws IOException {
    List<String> written = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, byte[]> files = new LinkedHashMap<>(); // made whole before the first write
    Map<String, List<Host>> byProfile = new TreeMap<>();
    for (Host h : inventory.hosts()) {
      byProfile.computeIfAbsent(h.profile(), k -> new ArrayList<>()).add(h);
    }
    // read everything first: a broken desired.yaml or template stops the export before a write
    Map<String, Role> roles = new TreeMap<>();
    for (String profile : byProfile.keySet()) {
      Path dir = desired.resolve("profiles").resolve(profile);
      if (Files.isDirectory(dir)) {
        roles.put("profile_" + name(profile), role(dir, "profile " + profile));
      }
    }
    for (Host h : inventory.hosts()) {
      Path dir = desired.resolve("hosts").resolve(h.name());
      if (Files.isDirectory(dir)) {
        roles.put("host_" + name(h.name()), role(dir, "host " + h.name()));
      }
    }

    // inventory and host values
    StringBuilder inv =
        new StringBuilder(
            "# Made by kickdrift export ansible from the inventory.\nall:\n  children:\n");
    for (Map.Entry<String, List<Host>> e : byProfile.entrySet()) {
      inv.append("    ").append("profile_").append(name(e.getKey())).append(":\n      hosts:\n");
      for (Host h : e.getValue()) {
        inv.append("        ").append(q(h.name())).append(":\n");
        String address = null;
        for (Interface i : h.interfaces()) {
          if (i.ip() != null) {
            address = i.ip();
            break;
          }
        }
        if (address != null) {
          inv.append("          ansible_host: ").append(q(address)).append('\n');
        }
        inv.append("          ansible_port: ").append(h.ssh().port()).append('\n');
        inv.append("          ansible_user: ").append(q(h.ssh().user())).append('\n');
      }
    }
    files.put("inventory.yml", inv.toString().getBytes(StandardCharsets.UTF_8));
    for (Host h : inventory.hosts()) {
      StringBuilder v =
          new StringBuilder(
              "# Made by kickdrift export ansible: this host's own values.\nkickdrift_host:\n");
      HostValues.of(h)
          .forEach((k, val) -> v.append("  ").append(k).append(": ").append(q(val)).append('\n'));
      files.put("host_vars/" + h.name() + ".yml", v.toString().getBytes(StandardCharsets.UTF_8));
    }

    // roles
    StringBuilder site = new StringBuilder("# Made by kickdrift export ansible.\n");
    for (Map.Entry<String, Role> e : roles.entrySet()) {
      String role = e.getKey();
      Role r = e.getValue();
      StringBuilder tasks =
          new StringBuilder(
              "# Made by kickdrift export ansible from " + r.what + "'s desired.yaml.\n");
      TreeSet<String> packages = new TreeSet<>();
      r.entries
          .values()
          .forEach(
              d -> {
                if (d.pkg() != null) {
                  packages.add(d.pkg());
                }
              });
      if (!packages.isEmpty()) {
        tasks
            .append("- name: the packages the desired files belong to\n")
            .append("  ansible.builtin.package:\n    name:\n");
        packages.forEach(p -> tasks.append("      - ").append(q(p)).append('\n'));
        tasks.append("    state: present\n  tags: [packages]\n");
      }
      TreeSet<String> dirs = new TreeSet<>();
      r.entries.forEach(
          (path, d) -> {
            if (!d.kind().equals("absent")) {
              String parent = path.substring(0, path.lastIndexOf('/'));
              if (!parent.isEmpty()) {
                dirs.add(parent);
              }
            }
          });
      for (String d : dirs) {
        tasks
            .append("- name: ")
            .append(q(d))
            .append('\n')
            .append("  ansible.builtin.file:\n    path: ")
            .append(q(d))
            .append("\n    state: directory\n");
      }
      TreeSet<String> handlers = new TreeSet<>();
      for (Map.Entry<String, DesiredTree.Entry> f : r.entries.entrySet()) {
        String path = f.getKey();
        DesiredTree.Entry d = f.getValue();
        tasks.append("- name: ").append(q(path)).append('\n');
        switch (d.kind()) {
          case "file" -> {
            byte[] content = Files.readAllBytes(r.dir.resolve("files" + path));
            if (d.secret() != null) {
              if (vaultPassword == null) {
                throw new IllegalArgumentException(
                    r.what
                        + ": "
                        + path
                        + " holds a secret ("
                        + d.secret()
                        + "): give --vault-password-file to export it vaulted");
              }
              content =
                  AnsibleVault.encrypt(content, vaultPassword).getBytes(StandardCharsets.US_ASCII);
              if (!"encrypted".equals(d.secret())) {
                warnings.add(
                    r.what
                        + ": "
                        + path
                        + ": its secret is a placeholder ("
                        + d.secret()
                        + "); replace it in the vaulted file (ansible-vault edit) before running the playbook");
              }
            }
            files.put("roles/" + role + "/files" + path, content);
            tasks
                .append("  ansible.builtin.copy:\n    src: ")
                .append(q(path.substring(1)))
                .append('\n');
          }
          case "template" -> {
            String ftl =
                Files.readString(
                    r.dir.resolve("templates" + path + ".ftl"), StandardCharsets.UTF_8);
            String jinja =
                JinjaTemplate.of(r.dir.resolve("templates" + path + ".ftl").toString(), ftl);
            files.put(
                "roles/" + role + "/templates" + path + ".j2",
                jinja.getBytes(StandardCharsets.UTF_8));
            tasks
                .append("  ansible.builtin.template:\n    src: ")
                .append(q(path.substring(1) + ".j2"))
                .append('\n');
          }
          case "link" ->
              tasks
                  .append("  ansible.builtin.file:\n    src: ")
                  .append(q(d.target()))
                  .append("\n    state: link\n    force: true\n");
          default -> tasks.append("  ansible.builtin.file:\n    state: absent\n");
        }
        tasks
            .append(
                d.kind().equals("file") || d.kind().equals("template")
                    ? "    dest: "
                    : "    path: ")
            .append(q(path))
            .append('\n');
        if (d.kind().equals("file") || d.kind().equals("template")) {
          tasks.append("    owner: ").append(q(d.owner())).append('\n');
          tasks.append("    group: ").append(q(d.group())).append('\n');
          tasks.append("    mode: ").append(q(d.mode())).append('\n');
        }
        String service = service(path);
        if (service != null && !d.kind().equals("absent")) {
          tasks.append("  notify: ").append(q("reload " + service)).append('\n');
          handlers.add(service);
        }
      }
      files.put(
          "roles/" + role + "/tasks/main.yml", tasks.toString().getBytes(StandardCharsets.UTF_8));
      if (!handlers.isEmpty()) {
        StringBuilder h = new StringBuilder("# Made by kickdrift export ansible.\n");
        for (String s : handlers) {
          h.append("- name: ")
              .append(q("reload " + s))
              .append('\n')
              .append("  ansible.builtin.service:\n    name: ")
              .append(q(s))
              .append("\n    state: reloaded\n");
        }
        files.put(
            "roles/" + role + "/handlers/main.yml", h.toString().getBytes(StandardCharsets.UTF_8));
      }
      String hosts = role.startsWith("profile_") ? role : q(r.what.substring("host ".length()));
      site.append("- name: ")
          .append(q(r.what))
          .append('\n')
          .append("  hosts: ")
          .append(hosts)
          .append('\n')
          // the roles use no facts; the package module finds the package manager itself
          .append("  gather_facts: false\n")
          .append("  roles:\n    - ")
          .append(role)
          .append('\n');
    }
    // each host's desired-state manifest, for scan --against-desired on the host
    try {
      HostDesired.Reader reader = HostDesired.readerKeepingSecrets(desired, new Templates(null));
      for (Host h : inventory.hosts()) {
        files.put("files/desired/" + h.name() + ".json", reader.of(inventory, h).manifest().json());
      }
    } catch (RenderException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    site.append(
        """
        - name: the desired-state manifest kickdrift-agent scan --against-desired reads
          hosts: all
          gather_facts: false
          vars:
            manifest: "{{ kickdrift_desired_manifest | default('/var/lib/kickdrift/desired.json') }}"
          tasks:
            - name: its directory
              ansible.builtin.file:
                path: "{{ manifest | dirname }}"
                state: directory
            - name: the manifest
              ansible.builtin.copy:
                src: "desired/{{ inventory_hostname }}.json"
                dest: "{{ manifest }}"
                owner: root
                group: root
                mode: "0644"
        """);
    files.put("site.yml", site.toString().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      write(out, f.getKey(), f.getValue(), written);
    }
    return new Result(written, warnings);
  }

  private record Role(Path dir, String what, Map<String, DesiredTree.Entry> entries) {}

  private static Role role(Path dir, String what) throws IOException {
    try {
      return new Role(dir, what, DesiredTree.read(dir.resolve("desired.yaml")));
    } catch (DesiredTree.DesiredException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static String service(String path) {
    for (Map.Entry<String, String> e : SERVICES.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** A name Ansible takes as a group or role: letters, digits and {@code _}. */
  static String name(String s) {
    return s.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String q(String s) {
    return DesiredTree.quote(s);
  }

  private static void write(Path out, String rel, byte[] bytes, List<String> written)
      throws IOException {
    Path p = out.resolve(rel).normalize();
    if (!p.startsWith(out.normalize())) {
      throw new IllegalArgumentException(rel + ": outside " + out);
    }
    Files.createDirectories(p.getParent());
    AtomicWrite.to(p).mode(0644).write(bytes);
    written.add(rel);
  }
}
