package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.serve.MenuToken;
import io.kickdrift.server.serve.Serve;
import io.kickdrift.server.state.Event;
import io.kickdrift.server.state.SqliteStateStore;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} keeps DNS in step against a real named: every host at start, a host added to the
 * inventory file, and a host after its install callback; each run is an event.
 */
class DnsServeIT {
  /** The callback comes from loopback, not from web01's 192.0.2.21. */
  private static final String FROM_ANY = "server:\n  kickstart-from: any\n";

  @TempDir Path dir;

  @Test
  void serveSyncsAtStartWhenAHostIsAddedAndAfterAnInstall() throws Exception {
    Map<String, String> zones = new LinkedHashMap<>();
    zones.put("lab.example.com", Named.zone("lab.example.com", "ns1 IN A 192.0.2.2"));
    zones.put("2.0.192.in-addr.arpa", Named.zone("lab.example.com"));
    Path state = Files.createDirectories(dir.resolve("state"));
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (Named named = Named.start(dir.resolve("named"), zones)) {
      Path inventory = dir.resolve("inventory.yaml");
      Files.writeString(
          inventory, FROM_ANY + DnsSyncIT.inventory(named.keyFile, named.port, DnsSyncIT.WEB01));
      try (Serve serve =
          Serve.start(
              new Serve.Options(
                  inventory,
                  state,
                  Files.createDirectories(dir.resolve("root")),
                  null,
                  InetAddress.getLoopbackAddress(),
                  0,
                  0,
                  null,
                  null,
                  null,
                  true,
                  null,
                  null,
                  null,
                  null),
              log::add)) {
        await(() -> named.dig("web01.lab.example.com", "A").equals(List.of("192.0.2.21")), log);
        await(() -> !named.dig("21.2.0.192.in-addr.arpa", "PTR").isEmpty(), log);

        // a host added to the file: picked up by the inventory watch, not by a request
        Files.writeString(
            inventory,
            FROM_ANY
                + DnsSyncIT.inventory(
                    named.keyFile, named.port, DnsSyncIT.WEB01 + DnsSyncIT.WEB02));
        await(() -> named.dig("web02.lab.example.com", "A").equals(List.of("192.0.2.22")), log);

        // someone removes web01's address by hand; its install callback puts it back
        Named.run(
            List.of(
                "sh",
                "-c",
                "printf 'server 127.0.0.1 "
                    + named.port
                    + "\\nupdate delete web01.lab.example.com. A\\nsend\\n' | nsupdate -k "
                    + named.keyFile));
        assertThat(named.dig("web01.lab.example.com", "A")).isEmpty();
        String base = "http://127.0.0.1:" + serve.httpAddress().getPort();
        String token = MenuToken.enable(base, state, "web01.lab.example.com", "52:54:00:00:00:01");
        HttpResponse<String> post =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:"
                                    + serve.httpAddress().getPort()
                                    + "/callback/web01.lab.example.com/"
                                    + token))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as(post.body()).isBetween(200, 299);
        await(() -> named.dig("web01.lab.example.com", "A").equals(List.of("192.0.2.21")), log);
      }
    }
    assertThat(log)
        .anyMatch(l -> l.contains("dns sync of all hosts (start): 4 names changed"))
        .anyMatch(
            l -> l.contains("dns sync of web02 (host added in the inventory): 2 names changed"))
        .anyMatch(
            l ->
                l.contains(
                    "dns sync of web01.lab.example.com (install finished): 1 names changed"));
    try (var store = SqliteStateStore.open(state)) {
      assertThat(store.events("web01.lab.example.com", 20))
          .extracting(Event::kind)
          .contains("installed", "dns-sync");
      assertThat(store.events("web02", 20)).extracting(Event::kind).contains("dns-sync");
    }
  }

  private static void await(Callable<Boolean> condition, List<String> log) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached in 30 s; serve log:\n" + String.join("\n", log));
  }
}
