# ISC dhcpd configuration rendered by kickdrift from [=site.source]; edit the inventory, not
# this file. Check with: dhcpd -t -cf dhcpd.conf
option arch code 93 = unsigned integer 16;

<#-- server.ipxe-script: false leaves out the iPXE rule: iPXE then gets its architecture's loader -->
# Boot programs by client: iPXE gets its HTTP script (no chainload loop), UEFI x64 and arm64
# their GRUB, BIOS pxelinux.
<#if site.server.ipxeScript>
if exists user-class and option user-class = "iPXE" {
  filename "[=site.ipxeUrl]";
} elsif option arch = 00:07 or option arch = 00:09 {
<#else>
if option arch = 00:07 or option arch = 00:09 {
</#if>
  filename "[=site.server.uefiLoader]";
} elsif option arch = 00:0b {
  filename "[=site.server.arm64Loader]";
} else {
  filename "[=site.server.biosLoader]";
}
<#list site.subnets as s>

# [=s.cidr]
subnet [=s.address] netmask [=s.netmask] {
<#if s.router??>
  option routers [=s.router];
</#if>
<#if s.dns?has_content>
  option domain-name-servers [=s.dns?join(", ")];
</#if>
<#if s.domain??>
  option domain-name "[=s.domain]";
</#if>
  next-server [=s.nextServer!site.serverAddress];
<#if s.rangeStart??>
  range [=s.rangeStart] [=s.rangeEnd];
</#if>
}
</#list>
<#list site.subnets as s>
<#list s.reservations as r>

host [=r.host]-[=r.mac?replace(":", "")] {
  hardware ethernet [=r.mac];
  fixed-address [=r.ip];
  option host-name "[=r.shortName]";
}
</#list>
</#list>
