package io.kickdrift.server.serve;

import static io.kickdrift.server.serve.ServedRootTable.Outcome.ABSENT;
import static io.kickdrift.server.serve.ServedRootTable.Outcome.SERVED;
import static io.kickdrift.server.serve.ServedRootTable.Outcome.TOO_LONG;

import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.tftp.RawClient;
import io.kickdrift.server.tftp.TftpPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The traversal and symlink table: a served root laid out with links in and out of it (to
 * /etc/passwd, to the state directory's admin.token, callback.key and kickdrift.db, relative {@code
 * ../} links, links in intermediate directories, links that stay inside), and for each path a
 * client may ask for, what TFTP and HTTP must answer. One table for both protocols, checked against
 * real clients: tftp-hpa (RawClient for names it cannot send: a NUL inside, more than fits its
 * 512-byte request) and curl {@code --path-as-is}.
 *
 * <p>Where the protocols differ, the row says why: HTTP has URI rules of its own (percent-encoding,
 * dot segments, doubled slashes collapsed for shim) that apply before the served-root rule, and a
 * TFTP name is taken literally. Nothing outside the root is ever served by either.
 */
final class ServedRootTable {
  /** What one protocol answers: TFTP's ERROR code (0 for DATA) and HTTP's status. */
  enum Outcome {
    /** The file, byte for byte: TFTP DATA, HTTP 200. */
    SERVED(0, 200),
    /** The served-root rule refuses it: TFTP ERROR 2, HTTP 403. */
    REFUSED(2, 403),
    /** No such file (a directory, a dangling or looping link, a name no file can have): 1, 404. */
    ABSENT(1, 404),
    /** The protocol's parser refuses the request before any file is looked for: 4, 400. */
    MALFORMED(4, 400),
    /** HTTP only: a request line over 8 KiB, 414. */
    TOO_LONG(-1, 414);

    final int tftpError;
    final int httpStatus;

    Outcome(int tftpError, int httpStatus) {
      this.tftpError = tftpError;
      this.httpStatus = httpStatus;
    }
  }

  /**
   * A path as a client asks for it (the TFTP file name; HTTP's path is the same with a leading
   * {@code /}), what each protocol must answer, and why they differ where they do.
   */
  record Row(String path, Outcome tftp, Outcome http, String why) {
    static Row both(String path, Outcome outcome) {
      return new Row(path, outcome, outcome, "");
    }

    /** The HTTP request path: one leading slash, and a NUL (which curl cannot send) as %00. */
    String httpPath() {
      return (path.startsWith("/") ? path : "/" + path).replace("\0", "%00");
    }

    @Override
    public String toString() {
      String shown = path.length() > 60 ? path.substring(0, 40) + "…(" + path.length() + ")" : path;
      shown = shown.replace("\0", "\\0");
      if (tftp == null) {
        return shown + " http " + http + " (" + why + ")";
      }
      return shown
          + (tftp == http ? " " + tftp : " tftp " + tftp + ", http " + http)
          + (why.isEmpty() ? "" : " (" + why + ")");
    }
  }

  /** The file the links that stay inside lead to: several TFTP blocks. */
  static final byte[] KERNEL = new byte[3000];

  static {
    new Random(16).nextBytes(KERNEL);
  }

  /**
   * The table: a path and its outcome over both protocols, or a path, TFTP's outcome, HTTP's and a
   * note (why they differ); columns apart by two spaces or more. Names too long to write out are
   * added below.
   */
  private static final String TABLE =
      """
      images/rocky9/vmlinuz              SERVED
      /images/rocky9/vmlinuz             SERVED
      images/./rocky9/vmlinuz            SERVED
      inside-link                        SERVED
      absolute-inside-link               SERVED
      dir-link/rocky9/vmlinuz            SERVED
      sub/up/root/images/rocky9/vmlinuz  SERVED  SERVED  out of the root and back in
      passwd-link                        REFUSED
      statelink/admin.token              REFUSED
      statelink/callback.key             REFUSED
      statelink/kickdrift.db             REFUSED
      statelink/no-such-file             REFUSED  REFUSED  absent outside: refused alike
      statelink/%61dmin.token            REFUSED
      token-link                         REFUSED
      relative-link                      REFUSED
      sub/up/state/admin.token           REFUSED
      etc-link/passwd                    REFUSED
      images/../passwd-link              REFUSED
      missing                            ABSENT
      images                             ABSENT
      dangling-link                      ABSENT
      loop                               ABSENT
      /etc/passwd                        ABSENT  ABSENT  one leading slash: ROOT/etc/passwd
      images/rocky9/vmlinuz/x            ABSENT
      images/rocky9/vmlinuz\0.txt        MALFORMED  MALFORMED  TFTP: the NUL ends the name
      //etc/passwd                       REFUSED  ABSENT  HTTP collapses doubled slashes first
      ../state/admin.token               REFUSED  MALFORMED  Jetty refuses a path above /
      images/../../state/admin.token     REFUSED  MALFORMED  Jetty refuses a path above /
      images/../images/rocky9/vmlinuz    REFUSED  SERVED  HTTP removes dot segments (RFC 3986)
      images\\rocky9\\vmlinuz            REFUSED  MALFORMED  a backslash is no URI character
      %2e%2e/state/admin.token           ABSENT  MALFORMED  Jetty refuses an encoded dot segment
      images/%2E%2E/passwd-link          ABSENT  MALFORMED  Jetty refuses an encoded dot segment
      statelink%2Fadmin.token            ABSENT  MALFORMED  Jetty refuses an encoded slash
      %70asswd-link                      ABSENT  REFUSED  HTTP decodes it to passwd-link
      """;

  static final List<Row> ROWS =
      Stream.concat(
              TABLE.lines().map(ServedRootTable::row),
              Stream.of(
                  Row.both("a".repeat(300), ABSENT), // a segment over NAME_MAX
                  Row.both("d/".repeat(2100) + "x", ABSENT), // over PATH_MAX
                  new Row("n".repeat(65_000), ABSENT, TOO_LONG, "a request line over 8 KiB")))
          .toList();

  private static Row row(String line) {
    String[] c = line.strip().split(" {2,}");
    if (c.length == 2) {
      return Row.both(c[0], Outcome.valueOf(c[1]));
    }
    if (c.length == 4) {
      return new Row(c[0], Outcome.valueOf(c[1]), Outcome.valueOf(c[2]), c[3]);
    }
    throw new IllegalArgumentException("a row of 2 or 4 columns: " + line);
  }

  private ServedRootTable() {}

  /**
   * Lays out {@code root} (created) with the kernel, the links of the table, and a directory {@code
   * sub}; {@code state} is the state directory the links lead into. The relative links need them to
   * be siblings named {@code root} and {@code state}.
   */
  static void layOut(Path root, Path state) throws IOException {
    if (!state.getParent().equals(root.getParent())
        || !state.endsWith("state")
        || !root.endsWith("root")) {
      throw new IllegalArgumentException(
          root + ", " + state + ": expected siblings named root and state");
    }
    Files.write(Files.createDirectories(root.resolve("images/rocky9")).resolve("vmlinuz"), KERNEL);
    Files.createDirectories(root.resolve("sub"));
    link(root.resolve("inside-link"), Path.of("images/rocky9/vmlinuz"));
    link(root.resolve("absolute-inside-link"), root.resolve("images/rocky9/vmlinuz"));
    link(root.resolve("dir-link"), Path.of("images"));
    link(root.resolve("dangling-link"), Path.of("images/nosuch"));
    link(root.resolve("loop"), Path.of("loop"));
    link(root.resolve("passwd-link"), Path.of("/etc/passwd"));
    link(root.resolve("etc-link"), Path.of("/etc"));
    link(root.resolve("statelink"), state);
    link(root.resolve("token-link"), state.resolve("admin.token"));
    link(root.resolve("relative-link"), Path.of("../state/callback.key"));
    link(root.resolve("sub/up"), Path.of("../.."));
  }

  private static void link(Path link, Path target) throws IOException {
    Files.createSymbolicLink(link, target);
  }

  /**
   * The HTTP forms of the rows where encoding changes nothing: every character but {@code /} and
   * {@code .} percent-encoded, and every slash doubled. Each must get the row's HTTP outcome.
   */
  static List<Row> httpVariants() {
    List<Row> variants = new ArrayList<>();
    for (Row row : ROWS) {
      if (row.path().matches("[A-Za-z0-9_./-]{1,100}")
          && !row.path().matches("(.*/)?\\.{1,2}(/.*)?")
          && row.tftp() == row.http()) {
        StringBuilder encoded = new StringBuilder();
        for (char c : row.path().toCharArray()) {
          encoded.append(
              c == '/' || c == '.' ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
        variants.add(new Row(encoded.toString(), null, row.http(), "percent-encoded"));
        variants.add(
            new Row(row.httpPath().replace("/", "//"), null, row.http(), "doubled slashes"));
      }
    }
    return variants;
  }

  /**
   * What must never come back in any answer: the state directory's secrets (those that exist) and
   * the first line of /etc/passwd.
   */
  static List<byte[]> secrets(Path state) throws IOException {
    List<byte[]> secrets = new ArrayList<>();
    secrets.add("root:x:0:0".getBytes(StandardCharsets.US_ASCII));
    for (String name : List.of("admin.token", "callback.key")) {
      Path f = state.resolve(name);
      if (Files.exists(f)) {
        secrets.add(Files.readAllBytes(f));
      }
    }
    return secrets;
  }

  /**
   * Asks for every row and variant over HTTP at {@code base} (GET, and HEAD for the rows) with
   * curl, files in {@code scratch}; returns one line per answer that differs from the table.
   */
  static List<String> overHttp(String base, Path scratch, List<byte[]> secrets)
      throws IOException, InterruptedException {
    List<String> wrong = new ArrayList<>();
    List<Row> all = new ArrayList<>(ROWS);
    all.addAll(httpVariants());
    Path body = scratch.resolve("http-body");
    for (Row row : all) {
      for (String method : row.tftp() == null ? List.of("GET") : List.of("GET", "HEAD")) {
        Files.deleteIfExists(body);
        List<String> curl =
            new ArrayList<>(List.of("curl", "-sS", "-g", "--path-as-is", "-m", "30"));
        if (method.equals("HEAD")) {
          curl.add("-I");
        }
        curl.addAll(List.of("-o", body.toString(), "-w", "%{http_code}", base + row.httpPath()));
        Cmd.Result r = Cmd.run(curl);
        byte[] got = Files.exists(body) ? Files.readAllBytes(body) : new byte[0];
        int status = r.out().matches("\\d{3}") ? Integer.parseInt(r.out()) : -1;
        boolean bytesRight =
            row.http() != SERVED || method.equals("HEAD") || Arrays.equals(got, KERNEL);
        if (status != row.http().httpStatus || !bytesRight || leaks(got, secrets)) {
          wrong.add(
              "HTTP "
                  + method
                  + " "
                  + row
                  + ": got "
                  + status
                  + (bytesRight ? "" : " with other bytes")
                  + (leaks(got, secrets) ? " WITH A SECRET" : "")
                  + " "
                  + r.err().strip());
        }
      }
    }
    return wrong;
  }

  /**
   * Asks for every row over TFTP at {@code server}: tftp-hpa, or RawClient for names tftp-hpa
   * cannot send; returns one line per answer that differs.
   */
  static List<String> overTftp(InetSocketAddress server, Path scratch, List<byte[]> secrets)
      throws IOException, InterruptedException {
    List<String> wrong = new ArrayList<>();
    for (Row row : ROWS) {
      Answer a =
          row.path().contains("\0") || row.path().length() > 400
              ? raw(server, row.path())
              : tftpHpa(server, row.path(), scratch.resolve("tftp-file"));
      boolean bytesRight = row.tftp() != SERVED || Arrays.equals(a.bytes(), KERNEL);
      if (a.error() != row.tftp().tftpError || !bytesRight || leaks(a.bytes(), secrets)) {
        wrong.add(
            "TFTP "
                + row
                + ": got "
                + (a.error() == 0 ? "DATA" : "ERROR " + a.error())
                + (bytesRight ? "" : " with other bytes")
                + (leaks(a.bytes(), secrets) ? " WITH A SECRET" : "")
                + " "
                + a.said());
      }
    }
    return wrong;
  }

  /** A TFTP answer: the ERROR code (0: the file came), the bytes, what the client said. */
  private record Answer(int error, byte[] bytes, String said) {}

  private static final Pattern TFTP_HPA_ERROR = Pattern.compile("Error code (\\d+): (.*)");

  private static Answer tftpHpa(InetSocketAddress server, String name, Path out)
      throws IOException, InterruptedException {
    Files.deleteIfExists(out);
    Cmd.Result r = TftpHpa.get(server, name, out);
    Matcher m = TFTP_HPA_ERROR.matcher(r.out() + r.err());
    if (m.find()) {
      return new Answer(Integer.parseInt(m.group(1)), new byte[0], m.group());
    }
    byte[] got = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
    return new Answer(r.exit() == 0 ? 0 : -1, got, (r.out() + r.err()).strip());
  }

  private static Answer raw(InetSocketAddress server, String name) throws IOException {
    try (RawClient client = new RawClient(new InetSocketAddress(server.getAddress(), 0))) {
      client.sendRaw(RawClient.readRequest(name), server);
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      while (true) {
        RawClient.Received r = client.poll(5000);
        if (r == null) {
          return new Answer(-1, file.toByteArray(), "no answer in 5 s");
        }
        if (r.packet() instanceof TftpPacket.Error e) {
          return new Answer(e.code(), file.toByteArray(), e.message());
        }
        if (!(r.packet() instanceof TftpPacket.Data d)) {
          return new Answer(-1, file.toByteArray(), "unexpected " + r.packet());
        }
        file.write(d.bytes());
        client.send(new TftpPacket.Ack(d.block()), r.from());
        if (d.bytes().length < 512) {
          return new Answer(0, file.toByteArray(), "");
        }
      }
    }
  }

  private static boolean leaks(byte[] got, List<byte[]> secrets) {
    for (byte[] secret : secrets) {
      for (int at = 0; secret.length > 0 && at + secret.length <= got.length; at++) {
        if (Arrays.equals(got, at, at + secret.length, secret, 0, secret.length)) {
          return true;
        }
      }
    }
    return false;
  }
}
