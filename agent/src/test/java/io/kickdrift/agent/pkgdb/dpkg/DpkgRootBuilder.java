package io.kickdrift.agent.pkgdb.dpkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a synthetic dpkg database (and the files it describes) under a root directory, so tests
 * need no dpkg binary. Packages are written to {@code var/lib/dpkg/status} in the order they were
 * declared, interleaved with any raw stanzas; {@link #build()} writes everything.
 *
 * <p>Example:
 *
 * <pre>{@code
 * Path root = DpkgRootBuilder.in(tmp)
 *     .pkg("openssh-server").version("1:9.2p1-2").arch("amd64")
 *         .dir("/etc/ssh")
 *         .conffile("/etc/ssh/sshd_config", "Port 22\n")
 *         .file("/usr/sbin/sshd", "ELF")
 *         .end()
 *     .build();
 * }</pre>
 */
public final class DpkgRootBuilder {
  private final Path root;
  private final List<Object> stanzas = new ArrayList<>();
  private final Map<String, String> adminFiles = new LinkedHashMap<>();

  private DpkgRootBuilder(Path root) {
    this.root = root;
  }

  /** A builder writing under {@code root} (typically a JUnit {@code @TempDir}). */
  public static DpkgRootBuilder in(Path root) {
    return new DpkgRootBuilder(root);
  }

  public Path root() {
    return root;
  }

  /** Declares a package, {@code install ok installed}, arch {@code amd64}, version {@code 1.0}. */
  public Pkg pkg(String name) {
    Pkg p = new Pkg(name);
    stanzas.add(p);
    return p;
  }

  /** Appends a stanza to the status file verbatim (for malformed cases); a blank line follows. */
  public DpkgRootBuilder rawStanza(String text) {
    stanzas.add(text);
    return this;
  }

  /** Writes {@code var/lib/dpkg/updates/<number>}, a pending journal entry. */
  public DpkgRootBuilder update(String number, String text) {
    return admin("updates/" + number, text);
  }

  /** Writes {@code var/lib/dpkg/diversions} verbatim. */
  public DpkgRootBuilder diversions(String text) {
    return admin("diversions", text);
  }

  /** Writes {@code var/lib/dpkg/statoverride} verbatim. */
  public DpkgRootBuilder statOverride(String text) {
    return admin("statoverride", text);
  }

  /** Writes {@code var/lib/dpkg/alternatives/<name>} verbatim. */
  public DpkgRootBuilder alternative(String name, String text) {
    return admin("alternatives/" + name, text);
  }

  /** Writes {@code var/lib/dpkg/info/<name>} verbatim (e.g. a hand-made md5sums file). */
  public DpkgRootBuilder info(String name, String text) {
    return admin("info/" + name, text);
  }

  /** Writes {@code var/lib/dpkg/<relative>} verbatim. */
  public DpkgRootBuilder admin(String relative, String text) {
    adminFiles.put(relative, text);
    return this;
  }

  /** Writes ucf's {@code var/lib/ucf/hashfile} and {@code registry} verbatim. */
  public DpkgRootBuilder ucf(String hashfile, String registry) throws IOException {
    write("/var/lib/ucf/hashfile", hashfile);
    write("/var/lib/ucf/registry", registry);
    return this;
  }

  /** Writes a file under the root that no package declares. */
  public DpkgRootBuilder write(String absPath, String content) throws IOException {
    Path p = resolve(absPath);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return this;
  }

  /** Writes the status file, info files and admin files; returns the root. */
  public Path build() throws IOException {
    StringBuilder status = new StringBuilder();
    for (Object s : stanzas) {
      if (s instanceof Pkg) {
        Pkg p = (Pkg) s;
        status.append(p.stanza());
        p.writeInfo();
      } else {
        status.append(s);
      }
      status.append('\n');
    }
    writeAdmin("status", status.toString());
    for (Map.Entry<String, String> e : adminFiles.entrySet()) {
      writeAdmin(e.getKey(), e.getValue());
    }
    return root;
  }

  /** The lower-case hex md5 of {@code content} in UTF-8. */
  public static String md5(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeAdmin(String relative, String text) throws IOException {
    Path p = root.resolve("var/lib/dpkg").resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private Path resolve(String absPath) {
    if (!absPath.startsWith("/")) {
      throw new IllegalArgumentException("expected an absolute path, got " + absPath);
    }
    return root.resolve(absPath.substring(1));
  }

  /** One package of the status file; its files are written under the root as declared. */
  public final class Pkg {
    private final String name;
    private String version = "1.0";
    private String arch = "amd64";
    private boolean multiArchSame;
    private String status = "install ok installed";
    private final List<String> conffileLines = new ArrayList<>();
    private final List<String> list = new ArrayList<>();
    private final StringBuilder md5sums = new StringBuilder();
    private boolean writeList = true;

    private Pkg(String name) {
      this.name = name;
    }

    public Pkg version(String v) {
      version = v;
      return this;
    }

    public Pkg arch(String a) {
      arch = a;
      return this;
    }

    /** {@code Multi-Arch: same}: info files are named {@code name:arch.list}. */
    public Pkg multiArchSame() {
      multiArchSame = true;
      return this;
    }

    /** The whole {@code Status} value, e.g. {@code deinstall ok config-files}. */
    public Pkg status(String s) {
      status = s;
      return this;
    }

    /** Removed but configured: {@code deinstall ok config-files}, and no file list. */
    public Pkg configFilesOnly() {
      status = "deinstall ok config-files";
      writeList = false;
      return this;
    }

    /** A directory the package lists; created under the root. */
    public Pkg dir(String absPath) throws IOException {
      Files.createDirectories(resolve(absPath));
      list.add(absPath);
      return this;
    }

    /** A non-config file: listed, in md5sums, and written with {@code content}. */
    public Pkg file(String absPath, String content) throws IOException {
      write(absPath, content);
      list.add(absPath);
      md5sums.append(md5(content)).append("  ").append(absPath.substring(1)).append('\n');
      return this;
    }

    /** A conffile: listed, in {@code Conffiles} with the md5 of {@code content}, and written. */
    public Pkg conffile(String absPath, String content) throws IOException {
      write(absPath, content);
      list.add(absPath);
      conffileLines.add(absPath + " " + md5(content));
      return this;
    }

    /** A {@code Conffiles} line verbatim (flags, newconffile, garbage); nothing is written. */
    public Pkg conffileLine(String line) {
      conffileLines.add(line);
      return this;
    }

    /** A path in the file list only (nothing written, no md5sums entry). */
    public Pkg listed(String absPath) {
      list.add(absPath);
      return this;
    }

    /** The info-file base name dpkg uses: {@code name:arch} for Multi-Arch: same. */
    public String infoName() {
      return multiArchSame ? name + ":" + arch : name;
    }

    public DpkgRootBuilder end() {
      return DpkgRootBuilder.this;
    }

    String stanza() {
      StringBuilder b = new StringBuilder();
      b.append("Package: ").append(name).append('\n');
      b.append("Status: ").append(status).append('\n');
      b.append("Priority: optional\n");
      b.append("Architecture: ").append(arch).append('\n');
      if (multiArchSame) {
        b.append("Multi-Arch: same\n");
      }
      b.append("Version: ").append(version).append('\n');
      if (!conffileLines.isEmpty()) {
        b.append("Conffiles:\n");
        for (String c : conffileLines) {
          b.append(' ').append(c).append('\n');
        }
      }
      b.append("Description: ").append(name).append(" for tests\n");
      return b.toString();
    }

    void writeInfo() throws IOException {
      if (writeList) {
        StringBuilder l = new StringBuilder("/.\n");
        list.forEach(p -> l.append(p).append('\n'));
        writeAdmin("info/" + infoName() + ".list", l.toString());
      }
      if (md5sums.length() > 0) {
        writeAdmin("info/" + infoName() + ".md5sums", md5sums.toString());
      }
    }
  }
}
