package io.kickdrift.server.render;

import io.kickdrift.server.inventory.Server;
import java.util.List;

/**
 * What the site-wide templates (DHCP configs, default boot menus) see: the server, the URL iPXE
 * clients are handed, every subnet and every host.
 */
public record SiteModel(
    Server server,
    String serverAddress,
    String baseUrl,
    String ipxeUrl,
    String source,
    List<SubnetModel> subnets,
    List<HostModel> hosts) {
  public SiteModel {
    subnets = List.copyOf(subnets);
    hosts = List.copyOf(hosts);
  }
}
