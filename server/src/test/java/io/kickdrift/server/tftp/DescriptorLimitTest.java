package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DescriptorLimitTest {
  @Test
  void readsTheSoftLimitOfMaxOpenFiles() {
    assertThat(
            TftpServer.softOpenFiles(
                "Max open files            1024                 524288   files"))
        .hasValue(1024);
    assertThat(
            TftpServer.softOpenFiles(
                "Max open files            unlimited            unlimited files"))
        .hasValue(Long.MAX_VALUE);
    assertThat(
            TftpServer.softOpenFiles(
                "Max processes             95209                95209    processes"))
        .isEmpty();
  }

  @Test
  void agreesWithWhatTheJvmSays() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    assertThat(os).isInstanceOf(com.sun.management.UnixOperatingSystemMXBean.class);
    assertThat(TftpServer.descriptorLimit())
        .isEqualTo(((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount());
    assertThat(OptionalLong.of(TftpServer.descriptorLimit())).isNotEqualTo(OptionalLong.of(0));
  }
}
