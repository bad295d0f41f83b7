/**
 * kickdrift's DHCP server for PXE boot: {@link io.kickdrift.server.dhcp.DhcpPacket} is the pure
 * codec, {@code DhcpPolicy} decides the reply from the site model and the {@link
 * io.kickdrift.server.dhcp.LeaseStore}, and {@link io.kickdrift.server.dhcp.DhcpServer} is the
 * socket loop around them (see docs/dhcp.md).
 */
package io.kickdrift.server.dhcp;
