package io.kickdrift.server.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND 9 {@code named} on 127.0.0.1 at a free unprivileged port, with its own config, a TSIG
 * key made by {@code tsig-keygen} and the given zones, each allowing updates and transfers with
 * that key. Closing it stops the process. A missing {@code named} fails the test: CI installs it.
 */
final class Named implements AutoCloseable {
  final Path dir;
  final Path keyFile;
  final int port;
  final Path log;
  private final Process process;

  /**
   * @param zones zone name to zone file text (with $TTL, SOA and NS)
   */
  static Named start(Path dir, Map<String, String> zones) throws IOException, InterruptedException {
    return start(dir, zones, "hmac-sha256");
  }

  static Named start(Path dir, Map<String, String> zones, String algorithm)
      throws IOException, InterruptedException {
    return start(dir, zones, algorithm, java.util.Set.of());
  }

  /**
   * @param readOnly zones that allow transfers with the key but no updates
   */
  static Named start(
      Path dir, Map<String, String> zones, String algorithm, java.util.Set<String> readOnly)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path key = dir.resolve("kickdrift.key");
    Files.writeString(key, run(List.of("tsig-keygen", "-a", algorithm, "kickdrift")));
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      StringBuilder conf = new StringBuilder();
      conf.append("include \"").append(key).append("\";\n");
      conf.append("options {\n")
          .append("  directory \"")
          .append(dir)
          .append("\";\n")
          .append("  pid-file \"")
          .append(dir.resolve("named.pid"))
          .append("\";\n")
          .append("  session-keyfile \"")
          .append(dir.resolve("session.key"))
          .append("\";\n")
          .append("  listen-on port ")
          .append(port)
          .append(" { 127.0.0.1; };\n")
          .append("  listen-on-v6 { none; };\n")
          .append("  recursion no;\n  dnssec-validation no;\n  notify no;\n")
          .append("  max-journal-size unlimited;\n};\n")
          .append("controls { };\n");
      for (Map.Entry<String, String> z : zones.entrySet()) {
        Path file = dir.resolve("db." + z.getKey());
        Files.writeString(file, z.getValue());
        conf.append("zone \"")
            .append(z.getKey())
            .append("\" { type primary; file \"")
            .append(file)
            .append(
                readOnly.contains(z.getKey()) ? "\";" : "\"; allow-update { key \"kickdrift\"; };")
            .append(" allow-transfer { key \"kickdrift\"; }; };\n");
      }
      Path confFile = dir.resolve("named.conf");
      Files.writeString(confFile, conf);
      Path log = dir.resolve("named-" + port + ".log");
      Process p =
          new ProcessBuilder("named", "-g", "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (text.contains("\nrunning") || text.matches("(?s).*\\d running\\R.*")) {
          return new Named(dir, key, port, log, p);
        }
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      last = new IOException("named did not start:\n" + Files.readString(log));
    }
    throw last;
  }

  private Named(Path dir, Path keyFile, int port, Path log, Process process) {
    this.dir = dir;
    this.keyFile = keyFile;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** {@code dig +short} of {@code name}/{@code type}, one answer per line, sorted. */
  List<String> dig(String name, String type) throws IOException, InterruptedException {
    List<String> lines =
        new ArrayList<>(
            run(List.of(
                    "dig",
                    "-p",
                    String.valueOf(port),
                    "@127.0.0.1",
                    "+short",
                    "+tries=1",
                    "+time=5",
                    name,
                    type))
                .lines()
                .toList());
    lines.sort(null);
    return lines;
  }

  /** {@code dig AXFR} signed with the key, every record line. */
  String axfr(String zone) throws IOException, InterruptedException {
    return run(List.of(
            "dig",
            "-p",
            String.valueOf(port),
            "@127.0.0.1",
            "-k",
            keyFile.toString(),
            "+nocmd",
            "+nostats",
            "+nocomments",
            zone,
            "AXFR"))
        .lines()
        .filter(l -> !l.contains("\tTSIG\t"))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
  }

  /** The zone's SOA serial as dig sees it. */
  long serial(String zone) throws IOException, InterruptedException {
    return Long.parseLong(dig(zone, "SOA").get(0).split(" ")[2]);
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException e) {
          // taken for UDP; try another
        }
      }
    }
    throw new IOException("no free port for named on 127.0.0.1");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The distro and profile ({@code p}) every DNS test inventory's hosts use, as YAML. */
  static final String DISTRO_AND_PROFILE =
      """
      distros:
        - name: d
          family: rocky
          version: "9"
          kernel: http://192.0.2.10/k
          initrd: http://192.0.2.10/i
          install-tree: http://192.0.2.10/t
      profiles:
        - name: p
          distro: d
      """;

  /**
   * The lab's two zones: lab.example.com with ns1 at 192.0.2.2 and then {@code forward}, and
   * 2.0.192.in-addr.arpa with {@code reverse} (record lines of a zone file).
   */
  static Map<String, String> labZones(List<String> forward, List<String> reverse) {
    List<String> lab = new java.util.ArrayList<>(List.of("ns1 IN A 192.0.2.2"));
    lab.addAll(forward);
    Map<String, String> zones = new java.util.LinkedHashMap<>();
    zones.put("lab.example.com", zone("lab.example.com", lab.toArray(String[]::new)));
    zones.put("2.0.192.in-addr.arpa", zone("lab.example.com", reverse.toArray(String[]::new)));
    return zones;
  }

  /** A zone file with SOA serial 1, NS ns1.{@code nsZone} and the given record lines. */
  static String zone(String nsZone, String... records) {
    StringBuilder text =
        new StringBuilder("$TTL 3600\n@ IN SOA ns1.")
            .append(nsZone)
            .append(". hostmaster.")
            .append(nsZone)
            .append(". 1 3600 600 86400 300\n@ IN NS ns1.")
            .append(nsZone)
            .append(".\n");
    for (String r : records) {
      text.append(r).append('\n');
    }
    return text.toString();
  }
}
