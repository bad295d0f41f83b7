package io.kickdrift.server.serve;

import io.kickdrift.agent.state.SecretFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For tests: a host's install token as its installer gets it, from the {@code inst.ks} URL of its
 * pxelinux menu on a running serve (menus need no credentials, as PXE requires).
 */
public final class MenuToken {
  private MenuToken() {}

  /**
   * Turns netboot on for {@code host} through the API of the serve at {@code baseUrl}, with the
   * admin token in {@code stateDir}, and returns the new install's token from the host's menu.
   */
  public static String enable(String baseUrl, Path stateDir, String host, String mac)
      throws IOException, InterruptedException {
    String admin =
        HexFormat.of().formatHex(SecretFile.readOrCreate(stateDir.resolve("admin.token"), 16));
    HttpResponse<String> on =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/hosts/" + host + "/netboot"))
                    .header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (on.statusCode() != 200) {
      throw new AssertionError("netboot enable " + host + ": " + on.statusCode() + " " + on.body());
    }
    return of(baseUrl, host, mac);
  }

  /**
   * The token in {@code host}'s menu for {@code mac} at {@code baseUrl} (e.g. {@code
   * http://127.0.0.1:8080}); fails when the menu does not install.
   */
  public static String of(String baseUrl, String host, String mac)
      throws IOException, InterruptedException {
    String url = baseUrl + "/pxelinux.cfg/01-" + mac.toLowerCase().replace(':', '-');
    HttpResponse<String> menu =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (menu.statusCode() != 200) {
      throw new AssertionError(
          "no menu at " + url + " (" + menu.statusCode() + "):\n" + menu.body());
    }
    return in(host, menu.body());
  }

  /** The token of {@code host}'s {@code inst.ks} URL in a menu's text; fails when there is none. */
  public static String in(String host, String menu) {
    Matcher m = Pattern.compile("/ks/" + Pattern.quote(host) + "/([0-9a-f]{32})").matcher(menu);
    if (!m.find()) {
      throw new AssertionError("no install token for " + host + " in the menu:\n" + menu);
    }
    return m.group(1);
  }
}
