package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kickdrift.agent.cli.Cmd;
import io.kickdrift.server.render.RenderWithJar;
import io.kickdrift.testkit.ScratchDir;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22's O(changed) proof at its scale: a 10,000-host inventory (bench/GenInventory.java), one
 * host edited while {@code serve} runs. A real {@code tftp} sees the host's new menu after the
 * reload, the one {@code render} then writes for it; {@code render} against its previous tree
 * changes that host's files only: every other file keeps its inode and mtime.
 */
class ChangedHostIT {
  @RegisterExtension static final ScratchDir scratch = new ScratchDir("kd-changed-host");
  static final int HOSTS = 10_000;
  static final String HOST = "host0000.net0.bench.example.com";
  static final String MENU = "pxelinux.cfg/01-52-54-00-00-00-01";

  /** Every file of the tree OUT names: relative path → inode and mtime. */
  static Map<String, String> files(Path out) throws Exception {
    Path root = out.toRealPath();
    Map<String, String> m = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        m.put(
            root.relativize(p).toString(),
            Files.getAttribute(p, "unix:ino") + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  static Cmd.Result render(Path inventory, Path out, Path state) throws Exception {
    Cmd.Result r = RenderWithJar.run(inventory, out, state);
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  @Test
  void oneHostEditedWhileServingChangesThatHostOnly() throws Exception {
    Cmd.require("tftp", "tftp-hpa");
    Path work = scratch.path();
    Path inventory = work.resolve("inventory.yaml");
    Cmd.ok(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        Path.of("../bench/GenInventory.java").toAbsolutePath().toString(),
        Integer.toString(HOSTS),
        inventory.toString());
    Path state = work.resolve("state");
    Path out = work.resolve("out");
    render(inventory, out, state);
    Map<String, String> before = files(out);
    assertThat(before).hasSizeGreaterThan(HOSTS * 5);

    int tftpPort = ServeOnLoopback.freeUdp();
    int httpPort = ServeOnLoopback.freeTcp();
    Process serve =
        new ProcessBuilder(
                ServeOnLoopback.serveCommand(List.of(), inventory, tftpPort, httpPort, state))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("serve.log").toFile())
            .start();
    try {
      InetSocketAddress tftp = new InetSocketAddress("127.0.0.1", tftpPort);
      Path got = work.resolve("menu");
      for (int i = 0; i < 600 && !(Files.exists(got) && Files.size(got) > 0); i++) {
        assertThat(serve.isAlive()).as(Files.readString(work.resolve("serve.log"))).isTrue();
        TftpHpa.get(tftp, MENU, got);
        Thread.sleep(100);
      }
      String installing = Files.readString(got);
      // serve names itself in the URLs (its address and port), render the inventory's server
      assertThat(installing).contains("DEFAULT install");
      assertThat(out.resolve(MENU)).content().contains("DEFAULT install");

      // TFTP answers before HTTP is bound: wait until serve says it is ready (every port bound)
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build();
      int readyz = 0;
      for (int i = 0; i < 600 && readyz != 200; i++) {
        assertThat(serve.isAlive()).as(Files.readString(work.resolve("serve.log"))).isTrue();
        try {
          readyz = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.ConnectException e) {
          readyz = 0; // not bound yet
        }
        if (readyz != 200) {
          Thread.sleep(100);
        }
      }
      assertThat(readyz).as("/readyz").isEqualTo(200);

      // The edit: the host no longer netboots (its first "netboot: true").
      Files.writeString(
          inventory, Files.readString(inventory).replaceFirst("netboot: true", "netboot: false"));
      HttpResponse<String> reload =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/reload"))
                  .header(
                      "Authorization",
                      "Bearer " + Files.readString(state.resolve("admin.token")).strip())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
      Files.delete(got);
      assertThat(TftpHpa.get(tftp, MENU, got).exit()).isZero();
      String local = Files.readString(got);
      assertThat(local).isNotEqualTo(installing).doesNotContain("DEFAULT install");

      Cmd.Result again = render(inventory, out, state);
      assertThat(again.out()).contains((HOSTS - 1) + " hosts unchanged since the last render");
      assertThat(out.resolve(MENU)).content().isEqualTo(local);
      Map<String, String> after = files(out);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      Set<String> changed = new HashSet<>();
      after.forEach(
          (path, inode) -> {
            if (!inode.equals(before.get(path))) {
              changed.add(path);
            }
          });
      Set<String> hostFiles = new HashSet<>();
      Path generation = out.toRealPath();
      JsonNode models =
          new ObjectMapper()
              .readTree(generation.resolveSibling(generation.getFileName() + ".models").toFile());
      models.get(HOST).get("files").forEach(f -> hostFiles.add(f.asText()));
      assertThat(changed).contains(MENU).isSubsetOf(hostFiles);
    } finally {
      serve.destroy();
      if (!serve.waitFor(20, TimeUnit.SECONDS)) {
        serve.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }
}
