# ISC dhcpd configuration rendered by kickdrift from [=dhcpd.comment(site.source)]; edit the inventory, not
# this file. Check with: dhcpd -t -cf dhcpd.conf
option arch code 93 = unsigned integer 16;

<#-- server.ipxe-script: false leaves out the iPXE rule: iPXE then gets its architecture's loader.
     Values: dhcpd.word outside quotes, dhcpd.inDoubleQuotes inside, dhcpd.name for a host
     declaration's name. -->
# Boot programs by client: iPXE gets its HTTP script (no chainload loop), UEFI x64 and arm64
# their GRUB, BIOS pxelinux.
<#if site.server.ipxeScript>
if exists user-class and option user-class = "iPXE" {
  filename "[=dhcpd.inDoubleQuotes(site.ipxeUrl)]";
} elsif option arch = 00:07 or option arch = 00:09 {
<#else>
if option arch = 00:07 or option arch = 00:09 {
</#if>
  filename "[=dhcpd.inDoubleQuotes(site.server.uefiLoader)]";
} elsif option arch = 00:0b {
  filename "[=dhcpd.inDoubleQuotes(site.server.arm64Loader)]";
} else {
  filename "[=dhcpd.inDoubleQuotes(site.server.biosLoader)]";
}
<#list site.subnets as s>

# [=dhcpd.comment(s.cidr)]
subnet [=dhcpd.word(s.address)] netmask [=dhcpd.word(s.netmask)] {
<#if s.router??>
  option routers [=dhcpd.word(s.router)];
</#if>
<#if s.dns?has_content>
  option domain-name-servers <#list s.dns as d>[=dhcpd.word(d)]<#sep>, </#list>;
</#if>
<#if s.domain??>
  option domain-name "[=dhcpd.inDoubleQuotes(s.domain)]";
</#if>
  next-server [=dhcpd.word(s.nextServer!site.serverAddress)];
<#if s.rangeStart??>
  range [=dhcpd.word(s.rangeStart)] [=dhcpd.word(s.rangeEnd)];
</#if>
}
</#list>
<#list site.subnets as s>
<#list s.reservations as r>

host [=dhcpd.name(r.host + "-" + r.mac?replace(":", ""))] {
  hardware ethernet [=dhcpd.word(r.mac)];
  fixed-address [=dhcpd.word(r.ip)];
  option host-name "[=dhcpd.inDoubleQuotes(r.shortName)]";
}
</#list>
</#list>
