package io.kickdrift.agent.repo;

import io.kickdrift.agent.host.RootPaths;
import io.kickdrift.agent.pkgdb.DigestAlgorithm;
import io.kickdrift.agent.repo.ManifestEntry.RedactedValue;
import io.kickdrift.agent.scan.Accounts;
import io.kickdrift.agent.scan.secret.InlinePlaceholder;
import io.kickdrift.agent.scan.secret.InlineSecrets;
import io.kickdrift.agent.scan.secret.SecretMatch;
import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.FileMode;

/**
 * Writes a host's committed files back under a root: content, mode, owner, group and links, each
 * file atomically (docs/config-repo.md, "Restore"). Everything is planned before anything is
 * written, so a manifest with a bad path or a link out of the root writes nothing.
 *
 * <p>Example: {@code Restore.run(repo, "web01", null, Path.of("/mnt/web01"), false,
 * System.out::println)}.
 */
public final class Restore {
  private final HostSnapshot snap;
  private final Decryptor decryptor;
  private final InlineSecrets detector;
  private final SecretDigestKey digestKey;
  private final Path top;
  private final RootPaths paths;
  private final Accounts accounts;
  private final List<Step> steps = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Set<Path> plannedDirs = new HashSet<>();

  /**
   * What a restore did (or, in a dry run, would do).
   *
   * @param commit the commit restored from
   * @param actions one line per action, as printed
   * @param warnings what was skipped and why, each naming the path
   */
  public record Result(String commit, List<String> actions, List<String> warnings) {
    public Result {
      actions = List.copyOf(actions);
      warnings = List.copyOf(warnings);
    }
  }

  /** A restore that cannot start: the messages name the manifest, the path and the field. */
  public static final class RestoreException extends IOException {
    private static final long serialVersionUID = 1L;

    RestoreException(String message) {
      super(message);
    }
  }

  /** One action: the line that describes it, and the write that does it ({@code null}: none). */
  private record Step(String line, Write write) {}

  @FunctionalInterface
  private interface Write {
    void run() throws IOException;
  }

  /** Opens a secret committed encrypted ({@code secret: encrypted}): ciphertext to plaintext. */
  @FunctionalInterface
  public interface Decryptor {
    byte[] decrypt(byte[] ciphertext) throws IOException;

    /** With the secret key in {@code keyFile} (as {@code gpg --export-secret-keys} writes it). */
    static Decryptor withKey(Path keyFile, char[] passphrase) {
      return c -> SecretCipher.decrypt(c, keyFile, passphrase);
    }
  }

  private Restore(
      HostSnapshot snap,
      Path root,
      Decryptor decryptor,
      InlineSecrets detector,
      SecretDigestKey digestKey)
      throws IOException {
    this.decryptor = decryptor;
    this.detector = detector;
    this.digestKey = digestKey;
    this.snap = snap;
    this.top = root.toRealPath();
    this.paths = new RootPaths(top);
    this.accounts = Accounts.of(top);
  }

  /**
   * Restores {@code host} from the repository at {@code repo} onto {@code root}.
   *
   * @param ref the revision to restore, {@code null} for the branch {@code HEAD} names
   * @param dryRun say what would change, write nothing
   * @param out receives one line per action as it is done
   * @throws RestoreException when the manifest or the root refuse the restore; nothing was written
   * @throws IOException when a write fails; the lines already given say what was done
   */
  public static Result run(
      Path repo, String host, String ref, Path root, boolean dryRun, Consumer<String> out)
      throws IOException {
    return run(repo, host, ref, root, dryRun, null, out);
  }

  /**
   * The same, opening encrypted secrets with {@code decryptor} ({@code null}: they are skipped with
   * a warning).
   */
  public static Result run(
      Path repo,
      String host,
      String ref,
      Path root,
      boolean dryRun,
      Decryptor decryptor,
      Consumer<String> out)
      throws IOException {
    return run(repo, host, ref, root, dryRun, decryptor, InlineSecrets.builtIn(), null, out);
  }

  /**
   * The same, finding the host's own secret values in its live files with {@code detector}, for
   * files whose values the repository holds only as placeholders ({@code secret: redacted}):
   * matched by the placeholder's keyed digest under {@code digestKey} (the state directory's;
   * {@code null}: none), else by rule and key.
   */
  public static Result run(
      Path repo,
      String host,
      String ref,
      Path root,
      boolean dryRun,
      Decryptor decryptor,
      InlineSecrets detector,
      SecretDigestKey digestKey,
      Consumer<String> out)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new RestoreException(root + ": not a directory");
    }
    Restore r =
        new Restore(HostSnapshot.read(repo, host, ref), root, decryptor, detector, digestKey);
    r.plan();
    if (!r.errors.isEmpty()) {
      throw new RestoreException(String.join("\n", r.errors));
    }
    List<String> done = new ArrayList<>();
    for (Step s : r.steps) {
      if (!dryRun && s.write() != null) {
        s.write().run();
      }
      out.accept(s.line());
      done.add(s.line());
    }
    return new Result(r.snap.commit(), done, r.warnings);
  }

  private void plan() {
    for (Map.Entry<String, ManifestEntry> e : snap.manifest().files().entrySet()) {
      String path = e.getKey();
      try {
        RepoPaths.file(snap.manifest().host(), path);
      } catch (IllegalArgumentException ex) {
        errors.add(snap.where() + ": path '" + path + "': refused: " + ex.getMessage());
        continue;
      }
      try {
        planOne(path, e.getValue());
      } catch (RestoreException ex) {
        errors.add(ex.getMessage());
      } catch (IOException ex) {
        errors.add(path + ": " + ex.getMessage());
      }
    }
  }

  private void planOne(String path, ManifestEntry e) throws IOException {
    if (e.status() == null) {
      throw field(path, "status", "missing");
    }
    switch (e.status()) {
      case "missing":
        planRemove(path);
        return;
      case "modified", "unowned":
        break;
      case "unreadable":
        warnings.add(
            path + ": skipped: unreadable at the last scan, so the stored copy may be older");
        return;
      default:
        throw field(path, "status", "'" + e.status() + "' is not one restore knows");
    }
    if (!e.stored()) {
      warnings.add(
          path
              + ": skipped: not stored in the repository"
              + (e.note() == null ? "" : " (" + e.note() + ")"));
      return;
    }
    HostSnapshot.Stored stored = snap.files().get(path);
    if (stored == null) {
      throw field(path, "stored", "true, but files" + path + " is not in the commit");
    }
    String type = e.type();
    if ("symlink".equals(type)) {
      if (stored.mode() != FileMode.SYMLINK) {
        throw field(path, "type", "symlink, but files" + path + " is not a git symlink");
      }
      String target = new String(stored.content(), StandardCharsets.UTF_8);
      if (e.linkTarget() != null && !e.linkTarget().equals(target)) {
        throw field(
            path, "linkTarget", "'" + e.linkTarget() + "', but files" + path + " says " + target);
      }
      planLink(path, target, e);
    } else if ("regular".equals(type)) {
      if (stored.mode() != FileMode.REGULAR_FILE && stored.mode() != FileMode.EXECUTABLE_FILE) {
        throw field(path, "type", "regular, but files" + path + " is not a regular file");
      }
      byte[] content = content(path, e, stored.content());
      if (content != null) {
        planFile(path, content, e);
      }
    } else {
      warnings.add(path + ": skipped: restore writes regular files and links, not " + type);
    }
  }

  /**
   * The bytes to write for a stored file, or {@code null} to skip it (with a warning). This is
   * where secrets are opened: a placeholder holds nothing to restore, and a mode this agent does
   * not know (such as {@code encrypted}, before it can decrypt) is skipped, named.
   */
  private byte[] content(String path, ManifestEntry e, byte[] stored) throws IOException {
    String secret = e.secret() == null ? ManifestEntry.SECRET_NONE : e.secret();
    switch (secret) {
      case ManifestEntry.SECRET_NONE:
        checkDigest(path, e, stored);
        return stored;
      case ManifestEntry.SECRET_ENCRYPTED:
        if (decryptor == null) {
          warnings.add(
              path
                  + ": skipped: a secret encrypted to "
                  + (e.recipient() == null ? "an unnamed key" : e.recipient())
                  + "; give --decrypt-with KEYFILE to restore it (secret: encrypted)");
          return null;
        }
        byte[] plain;
        try {
          plain = decryptor.decrypt(stored);
        } catch (IOException ex) {
          throw new RestoreException(
              snap.where() + ": " + path + ": cannot decrypt: " + ex.getMessage());
        }
        checkDigest(path, e, plain);
        return plain;
      case ManifestEntry.SECRET_REDACTED:
        checkDigest(path, e, stored);
        return unredact(path, e, stored);
      case ManifestEntry.SECRET_PLACEHOLDER:
        warnings.add(
            path
                + ": skipped: a secret; the repository holds only a placeholder (secret: placeholder)");
        return null;
      default:
        warnings.add(
            path
                + ": skipped: a secret stored as '"
                + secret
                + "', which this agent cannot open (secret: "
                + secret
                + ")");
        return null;
    }
  }

  /**
   * A redacted file with its values put back: from the values encrypted with it when there is a key
   * to open them, else the host's own (the live file's values of the same keyed digest, or of the
   * same rule and key). {@code null}, with a warning naming each line, when a value is had from
   * neither: a placeholder is never written into a live file.
   */
  private byte[] unredact(String path, ManifestEntry e, byte[] stored) throws IOException {
    List<RedactedValue> rs = e.redactions() == null ? List.of() : e.redactions();
    List<byte[]> values;
    if (e.values() != null && decryptor != null) {
      Map<String, byte[]> map;
      try {
        map =
            RedactedFile.parseValues(
                decryptor.decrypt(e.values().getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException ex) {
        throw new RestoreException(
            snap.where() + ": " + path + ": field values: cannot decrypt: " + ex.getMessage());
      }
      values = new ArrayList<>();
      for (RedactedValue r : rs) {
        byte[] v = map.get(r.placeholder());
        if (v == null) {
          throw field(
              path, "values", "holds no value for " + r.placeholder() + " (line " + r.line() + ")");
        }
        values.add(v);
      }
    } else {
      values = hostValues(path, rs);
      List<String> lacking = new ArrayList<>();
      for (int i = 0; i < rs.size(); i++) {
        if (values.get(i) == null) {
          RedactedValue r = rs.get(i);
          lacking.add(
              "line "
                  + r.line()
                  + (r.key() == null ? "" : " key " + r.key())
                  + " (rule "
                  + r.rule()
                  + ")");
        }
      }
      if (!lacking.isEmpty()) {
        warnings.add(
            path
                + ": skipped: "
                + String.join(", ", lacking)
                + ": the repository holds only a placeholder and the host has no value to keep; "
                + (e.values() != null
                    ? "give --decrypt-with KEYFILE (the values are encrypted to "
                        + e.recipient()
                        + ")"
                    : "the scan kept no values (scan with --encrypt-to KEYFILE to keep them"
                        + " restorable), or set the value on the host and restore again")
                + " (secret: redacted)");
        return null;
      }
    }
    try {
      return RedactedFile.unredact(stored, rs, values);
    } catch (IOException ex) {
      throw field(path, "redactions", ex.getMessage());
    }
  }

  /**
   * The host's current value for each redaction, {@code null} where it has none: first the live
   * value whose keyed digest gives the same placeholder (the very value committed), then the next
   * unused one of the same rule and key (a value changed since, kept as the host has it).
   */
  private List<byte[]> hostValues(String path, List<RedactedValue> rs) throws IOException {
    List<byte[]> out = new ArrayList<>(java.util.Collections.nCopies(rs.size(), (byte[]) null));
    Path p = paths.writable(path);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
        || Files.size(p) > ConfigRepo.MAX_FILE_SIZE) {
      return out;
    }
    byte[] live = Files.readAllBytes(p);
    List<SecretMatch> found = detector.find(path, live);
    boolean[] used = new boolean[found.size()];
    if (digestKey != null) {
      for (int i = 0; i < rs.size(); i++) {
        for (int j = 0; j < found.size() && out.get(i) == null; j++) {
          SecretMatch m = found.get(j);
          if (!used[j]
              && InlinePlaceholder.text(
                      RedactedFile.placeholderRule(m.rule()),
                      digestKey.digest(live, m.start(), m.end()))
                  .equals(rs.get(i).placeholder())) {
            used[j] = true;
            out.set(i, Arrays.copyOfRange(live, m.start(), m.end()));
          }
        }
      }
    }
    for (int i = 0; i < rs.size(); i++) {
      for (int j = 0; j < found.size() && out.get(i) == null; j++) {
        SecretMatch m = found.get(j);
        if (!used[j]
            && m.rule().equals(rs.get(i).rule())
            && java.util.Objects.equals(m.key(), rs.get(i).key())) {
          used[j] = true;
          out.set(i, Arrays.copyOfRange(live, m.start(), m.end()));
        }
      }
    }
    return out;
  }

  private void checkDigest(String path, ManifestEntry e, byte[] content) throws IOException {
    if (e.digest() == null) {
      return;
    }
    int colon = e.digest().indexOf(':');
    DigestAlgorithm alg = null;
    for (DigestAlgorithm a : DigestAlgorithm.values()) {
      if (colon > 0 && a.label().equals(e.digest().substring(0, colon))) {
        alg = a;
      }
    }
    if (alg == null) {
      throw field(path, "digest", "'" + e.digest() + "' names no known algorithm");
    }
    String actual = ConfigRepo.digest(alg, content).toString();
    if (!actual.equals(e.digest())) {
      throw field(path, "digest", e.digest() + ", but files" + path + " has " + actual);
    }
  }

  // ---- planning, per kind ----------------------------------------------------------------------

  private void planRemove(String path) throws IOException {
    Path p = paths.writable(path);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      warnings.add(path + ": missing on the host, but a directory here: not removed");
      return;
    }
    steps.add(new Step("remove " + path, () -> Files.deleteIfExists(p)));
  }

  private void planFile(String path, byte[] content, ManifestEntry e) throws IOException {
    // The last word: whatever the manifest says, a placeholder never reaches a live file.
    String text = new String(content, StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher ph = InlinePlaceholder.PATTERN.matcher(text);
    if (ph.find()) {
      long line = text.substring(0, ph.start()).chars().filter(c -> c == '\n').count() + 1;
      warnings.add(
          path
              + ": skipped: line "
              + line
              + " holds the placeholder "
              + ph.group()
              + ", which restore never writes into a live file");
      return;
    }
    int mode = mode(path, e);
    Integer uid = owner(path, e.user(), true);
    Integer gid = owner(path, e.group(), false);
    Path p = paths.writable(path);
    Current cur = current(path, p);
    Write write = () -> writeFile(p, content, mode, uid, gid);
    String owners = e.user() + ":" + e.group();
    if (cur == null) {
      planDirs(path, p);
      steps.add(new Step("create " + path + " " + octal(mode) + " " + owners, write));
    } else if (!cur.regular) {
      steps.add(new Step("update " + path + " (was " + cur.describe() + ")", write));
    } else if (!Arrays.equals(Files.readAllBytes(p), content)) {
      steps.add(new Step("update " + path, write));
      // Said, but done by the write above.
      planAttributes(path, cur, mode, uid, gid, owners, null, null);
    } else {
      planAttributes(
          path,
          cur,
          mode,
          uid,
          gid,
          owners,
          () -> Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS),
          () -> chown(p, uid, gid));
    }
  }

  /** Lines for a mode and owner that differ; their writes, unless a content write does them. */
  private void planAttributes(
      String path,
      Current cur,
      int mode,
      Integer uid,
      Integer gid,
      String owners,
      Write chmod,
      Write chown) {
    // chown before chmod: the kernel drops set-id bits on chown.
    if ((uid != null && uid != cur.uid) || (gid != null && gid != cur.gid)) {
      steps.add(
          new Step(
              "chown "
                  + path
                  + " "
                  + owners
                  + " (was "
                  + accounts.user(cur.uid)
                  + ":"
                  + accounts.group(cur.gid)
                  + ")",
              chown));
    }
    if (mode != cur.mode) {
      steps.add(
          new Step("chmod " + path + " " + octal(mode) + " (was " + octal(cur.mode) + ")", chmod));
    }
  }

  private void planLink(String path, String target, ManifestEntry e) throws IOException {
    Integer uid = owner(path, e.user(), true);
    Integer gid = owner(path, e.group(), false);
    Path p = paths.writable(path);
    Current cur = current(path, p);
    Write write = () -> writeLink(p, target, uid, gid);
    if (cur == null) {
      planDirs(path, p);
      steps.add(new Step("create " + path + " -> " + target, write));
    } else if (!cur.link || !target.equals(cur.target)) {
      steps.add(
          new Step("relink " + path + " -> " + target + " (was " + cur.describe() + ")", write));
    } else if ((uid != null && uid != cur.uid) || (gid != null && gid != cur.gid)) {
      steps.add(
          new Step(
              "chown "
                  + path
                  + " "
                  + e.user()
                  + ":"
                  + e.group()
                  + " (was "
                  + accounts.user(cur.uid)
                  + ":"
                  + accounts.group(cur.gid)
                  + ")",
              () -> chown(p, uid, gid)));
    }
  }

  /** Directories to create on the way to {@code p}, outermost first, each once. */
  private void planDirs(String path, Path p) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    Path d = p.getParent();
    while (!d.equals(top) && !Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
      missing.addFirst(d);
      d = d.getParent();
    }
    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      throw new RestoreException(path + ": refused: /" + top.relativize(d) + " is not a directory");
    }
    for (Path m : missing) {
      if (plannedDirs.add(m)) {
        steps.add(
            new Step(
                "mkdir /" + top.relativize(m),
                () -> {
                  if (!Files.isDirectory(m, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(
                        m,
                        PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwxr-xr-x")));
                  }
                }));
      }
    }
  }

  /** What is at a path now; {@code null} when nothing is. */
  private record Current(boolean regular, boolean link, String target, int mode, int uid, int gid) {
    String describe() {
      return link ? "-> " + target : regular ? "a regular file" : "not a regular file";
    }
  }

  private Current current(String path, Path p) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException ex) {
      return null;
    }
    int mode = (Integer) a.get("mode");
    int type = mode & 0170000;
    if (type == 0040000) {
      throw new RestoreException(path + ": refused: a directory is in its place");
    }
    boolean link = type == 0120000;
    return new Current(
        type == 0100000,
        link,
        link ? Files.readSymbolicLink(p).toString() : null,
        mode & 07777,
        (Integer) a.get("uid"),
        (Integer) a.get("gid"));
  }

  private int mode(String path, ManifestEntry e) throws RestoreException {
    if (e.mode() == null) {
      throw field(path, "mode", "missing");
    }
    try {
      int m = Integer.parseInt(e.mode(), 8);
      if (m < 0 || m > 07777) {
        throw new NumberFormatException();
      }
      return m;
    } catch (NumberFormatException ex) {
      throw field(path, "mode", "'" + e.mode() + "' is not octal permission bits (0644)");
    }
  }

  /** The id for a user or group name in the root's own accounts; {@code null} with a warning. */
  private Integer owner(String path, String name, boolean user) throws RestoreException {
    String what = user ? "user" : "group";
    if (name == null) {
      throw field(path, what, "missing");
    }
    Integer id = user ? accounts.uid(name) : accounts.gid(name);
    if (id == null) {
      warnings.add(
          path
              + ": "
              + what
              + " '"
              + name
              + "' is not in "
              + (user ? "/etc/passwd" : "/etc/group")
              + " of "
              + top
              + "; "
              + what
              + " left as it is");
    }
    return id;
  }

  private RestoreException field(String path, String field, String what) {
    return new RestoreException(snap.where() + ": " + path + ": field " + field + ": " + what);
  }

  private static String octal(int mode) {
    return String.format("%04o", mode);
  }

  // ---- writing ----------------------------------------------------------------------------------

  /** Temp file in the same directory: owner, then mode, synced, renamed over. */
  private static void writeFile(Path p, byte[] content, int mode, Integer uid, Integer gid)
      throws IOException {
    AtomicWrite.to(p).mode(mode).owner(uid, gid).write(content);
  }

  private static void writeLink(Path p, String target, Integer uid, Integer gid)
      throws IOException {
    Path tmp = p.resolveSibling("." + p.getFileName() + ".kickdrift-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createSymbolicLink(tmp, Path.of(target));
      chown(tmp, uid, gid);
      AtomicWrite.to(p).replaceWith(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** lchown: never follows a link. */
  private static void chown(Path p, Integer uid, Integer gid) throws IOException {
    if (uid != null) {
      Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }
    if (gid != null) {
      Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
