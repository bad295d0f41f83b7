package io.kickdrift.server.desired;

import io.kickdrift.agent.repo.Restore;
import io.kickdrift.agent.scan.DesiredManifest;
import io.kickdrift.server.inventory.Host;
import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Profile;
import io.kickdrift.server.render.DesiredModel;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * One host's desired state, ready to lay down: the entries of its profile chain's desired trees
 * (root parent first), then of its own ({@code hosts/<h>/}), a later entry of the same path
 * replacing an earlier one; templates rendered with the host's own values ({@link HostValues}),
 * secrets committed encrypted opened with the server's key. What the kickstart's {@code %post}
 * writes, the packages it adds, and the manifest the host keeps for {@code scan --against-desired}
 * all come from here, so they cannot disagree.
 */
public final class HostDesired {
  /**
   * One path to lay down.
   *
   * @param content the bytes of a file; {@code null} for a link or an absent path
   */
  public record File(String path, DesiredTree.Entry entry, byte[] content) {}

  /**
   * A host's desired state.
   *
   * @param files sorted by path
   * @param warnings what is left out and why (a secret the server cannot open), naming host and
   *     path
   */
  public record State(String host, String source, List<File> files, List<String> warnings) {
    public static State none(String host) {
      return new State(host, null, List.of(), List.of());
    }

    /** The packages the desired files belong to, sorted. */
    public SortedSet<String> packages() {
      SortedSet<String> p = new TreeSet<>();
      files.forEach(
          f -> {
            if (f.entry().pkg() != null && !f.entry().kind().equals("absent")) {
              p.add(f.entry().pkg());
            }
          });
      return p;
    }

    /** What the kickstart lays down, for its templates. */
    public DesiredModel model() {
      if (files.isEmpty()) {
        return DesiredModel.NONE;
      }
      List<DesiredModel.FileModel> models = new ArrayList<>();
      for (File f : files) {
        DesiredTree.Entry e = f.entry();
        String dir = f.path().substring(0, f.path().lastIndexOf('/'));
        models.add(
            new DesiredModel.FileModel(
                f.path(),
                f.content() != null ? "file" : e.kind(),
                dir.isEmpty() ? "/" : dir,
                e.mode(),
                e.owner(),
                e.group(),
                e.target(),
                f.content() == null ? List.of() : DesiredModel.base64Lines(f.content())));
      }
      return new DesiredModel(
          models,
          List.copyOf(packages()),
          DesiredModel.base64Lines(manifest().json()),
          DesiredManifest.DEFAULT_PATH);
    }

    /** The manifest the host keeps ({@link DesiredManifest#DEFAULT_PATH}). */
    public DesiredManifest manifest() {
      List<DesiredManifest.Entry> entries = new ArrayList<>();
      for (File f : files) {
        DesiredTree.Entry e = f.entry();
        boolean file = f.content() != null;
        entries.add(
            new DesiredManifest.Entry(
                f.path(),
                file ? "file" : e.kind(),
                file && e.secret() == null ? sha256(f.content()) : null,
                file ? e.mode() : null,
                file ? e.owner() : null,
                file ? e.group() : null,
                e.kind().equals("link") ? e.target() : null,
                e.pkg(),
                e.secret()));
      }
      return new DesiredManifest(DesiredManifest.SCHEMA, host, source, entries);
    }
  }

  private HostDesired() {}

  /**
   * Reads a desired tree for hosts, each owner's {@code desired.yaml} parsed once: one reader per
   * render (or per request of a server, so that it sees the tree as it is now).
   *
   * @param dir the tree; one that does not exist gives every host no desired state
   * @param decryptor opens secrets committed encrypted; {@code null}: they are left out, warned
   */
  public static Reader reader(Path dir, Templates templates, Restore.Decryptor decryptor) {
    return new Reader(dir, templates, decryptor, false);
  }

  /**
   * As {@link #reader}, a secret it cannot open kept as the config repository stores it (a
   * placeholder, a ciphertext), in the manifest without a digest: for the Ansible export, which
   * lays it down vaulted for the user to replace.
   */
  public static Reader readerKeepingSecrets(Path dir, Templates templates) {
    return new Reader(dir, templates, null, true);
  }

  /** See {@link #reader}. */
  public static final class Reader {
    private final Path dir;
    private final Templates templates;
    private final Restore.Decryptor decryptor;
    private final boolean exists;
    private final boolean keepSecrets;
    private final Map<Path, Map<String, DesiredTree.Entry>> read = new ConcurrentHashMap<>();

    private Reader(
        Path dir, Templates templates, Restore.Decryptor decryptor, boolean keepSecrets) {
      this.keepSecrets = keepSecrets;
      this.dir = dir;
      this.templates = templates;
      this.decryptor = decryptor;
      this.exists = dir != null && Files.isDirectory(dir);
    }

    /**
     * The desired state of {@code host}.
     *
     * @throws RenderException for a desired.yaml or template that cannot be read or rendered,
     *     naming the file and line
     */
    public State of(Inventory inventory, Host host) throws RenderException {
      if (!exists) {
        return State.none(host.name());
      }
      List<Path> owners = new ArrayList<>();
      Profile profile = inventory.profile(host.profile()).orElse(null);
      if (profile != null) {
        for (Profile p : inventory.chain(profile)) {
          owners.add(dir.resolve("profiles").resolve(p.name()));
        }
      }
      owners.add(dir.resolve("hosts").resolve(host.name()));
      Map<String, String> values = HostValues.of(host);
      Map<String, File> files = new TreeMap<>();
      List<String> warnings = new ArrayList<>();
      for (Path owner : owners) {
        for (Map.Entry<String, DesiredTree.Entry> en : entries(owner).entrySet()) {
          String path = en.getKey();
          DesiredTree.Entry e = en.getValue();
          byte[] content;
          try {
            content = content(owner, path, e, values, templates, decryptor, keepSecrets);
          } catch (IOException ex) {
            throw new RenderException(owner + ": " + path + ": " + ex.getMessage(), ex);
          }
          if (content == null && (e.kind().equals("file") || e.kind().equals("template"))) {
            warnings.add(
                host.name()
                    + ": "
                    + path
                    + " is a secret ("
                    + e.secret()
                    + (e.secret().equals("encrypted")
                        ? ") and the server has no key to open it (--decrypt-with)"
                        : ") the config repository holds as a placeholder")
                    + "; not laid down, not in the host's desired manifest");
            files.remove(path);
            continue;
          }
          files.put(path, new File(path, e, content));
        }
      }
      return new State(
          host.name(), "desired tree " + dir, List.copyOf(files.values()), List.copyOf(warnings));
    }

    private Map<String, DesiredTree.Entry> entries(Path owner) throws RenderException {
      Map<String, DesiredTree.Entry> known = read.get(owner);
      if (known != null) {
        return known;
      }
      try {
        Map<String, DesiredTree.Entry> e = DesiredTree.read(owner.resolve("desired.yaml"));
        read.putIfAbsent(owner, e);
        return e;
      } catch (DesiredTree.DesiredException e) {
        throw new RenderException(e.getMessage(), e);
      }
    }
  }

  private static byte[] content(
      Path owner,
      String path,
      DesiredTree.Entry e,
      Map<String, String> values,
      Templates templates,
      Restore.Decryptor decryptor,
      boolean keepSecrets)
      throws IOException, RenderException {
    switch (e.kind()) {
      case "file" -> {
        byte[] stored = Files.readAllBytes(inside(owner, "files", path));
        if (e.secret() == null) {
          return stored;
        }
        if (e.secret().equals("encrypted") && decryptor != null) {
          return decryptor.decrypt(stored);
        }
        return keepSecrets ? stored : null;
      }
      case "template" -> {
        Path t = inside(owner, "templates", path + ".ftl");
        String text =
            templates.renderSource(
                t.toString(),
                Files.readString(t, StandardCharsets.UTF_8),
                Map.of("host", values),
                values.getOrDefault("fqdn", ""));
        return text.getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        return null;
      }
    }
  }

  /** {@code owner/sub/path}, refusing a path that would leave {@code owner/sub}. */
  private static Path inside(Path owner, String sub, String path) throws IOException {
    Path base = owner.resolve(sub).normalize();
    Path p = base.resolve(path.substring(1)).normalize();
    if (!p.startsWith(base)) {
      throw new IOException("refused: the path leaves " + base);
    }
    return p;
  }

  static String sha256(byte[] b) {
    return DigestUtils.sha256Hex(b);
  }
}
