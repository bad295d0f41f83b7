package io.kickdrift.server.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static Route route(String method, String pattern) {
    return new Route(
        method, pattern, Route.Need.OPEN, Route.Body.NONE, call -> Reply.text(200, "ok"));
  }

  @Test
  void segmentsMatchOneForOneAndNameTheirParameters() {
    Route ks = route("GET", "/ks/{host}/{token}");
    assertThat(ks.match("/ks/web01/abc")).contains(Map.of("host", "web01", "token", "abc"));
    assertThat(ks.match("/ks/web01/")).contains(Map.of("host", "web01", "token", ""));
    assertThat(ks.match("/ks/web01")).isEmpty();
    assertThat(ks.match("/ks/web01/abc/more")).isEmpty();
    assertThat(ks.match("/kss/web01/abc")).isEmpty();
  }

  @Test
  void aFinalDoubleStarTakesAnyRest() {
    Route api = route("*", "/api/**");
    assertThat(api.match("/api")).contains(Map.of());
    assertThat(api.match("/api/")).contains(Map.of());
    assertThat(api.match("/api/v1/x/y")).contains(Map.of());
    assertThat(api.match("/apis")).isEmpty();
    assertThat(route("GET", "/**").match("/")).contains(Map.of());
  }

  @Test
  void getAlsoAnswersHeadAndStarAnswersAll() {
    assertThat(route("GET", "/x").answers("HEAD")).isTrue();
    assertThat(route("GET", "/x").answers("POST")).isFalse();
    assertThat(route("GET", "/x").allow()).isEqualTo("GET, HEAD");
    assertThat(route("POST", "/x").answers("HEAD")).isFalse();
    assertThat(route("*", "/x").answers("BREW")).isTrue();
  }
}
