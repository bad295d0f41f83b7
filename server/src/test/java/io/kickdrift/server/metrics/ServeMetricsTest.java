package io.kickdrift.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServeMetricsTest {
  @Test
  void anyOtherMethodIsOneLabelValue() {
    ServeMetrics m = ServeMetrics.prometheus();
    m.http("/**", "BREW", 405, 1_000_000);
    m.http("/**", "PROPFIND", 405, 1_000_000);
    assertThat(m.scrape())
        .contains(
            "kickdrift_http_requests_seconds_count{method=\"other\",route=\"/**\",status=\"405\"} 2")
        .doesNotContain("BREW");
  }

  @Test
  void namesCarryTheirUnits() {
    ServeMetrics m = ServeMetrics.prometheus();
    m.tftpTransfer(true, 633, 2_000_000);
    m.transition("install-pending", "installed");
    m.dhcpPacket("discover", "answered");
    assertThat(m.scrape())
        .contains("kickdrift_tftp_sent_bytes_total 633.0")
        .contains("kickdrift_tftp_transfer_duration_seconds_count{outcome=\"completed\"} 1")
        .contains(
            "kickdrift_install_transitions_total{from=\"install-pending\",to=\"installed\"} 1.0")
        .contains("kickdrift_dhcp_packets_total{outcome=\"answered\",type=\"discover\"} 1.0");
  }

  @Test
  void noneKeepsNothing() {
    ServeMetrics m = ServeMetrics.none();
    m.http("/**", "GET", 200, 1);
    assertThat(m.scrape()).isEmpty();
  }
}
