<#-- Values: dnsmasq.field for each comma-separated field, dnsmasq.name for a host name,
     dnsmasq.comment in comments. -->
# dnsmasq DHCP configuration rendered by kickdrift from [=dnsmasq.comment(site.source)]; edit the inventory, not
# this file. Check with: dnsmasq --test -C dnsmasq.conf
<#list site.subnets as s>

# [=dnsmasq.comment(s.cidr)]
<#if s.rangeStart??>
dhcp-range=set:[=s.tag],[=dnsmasq.field(s.rangeStart)],[=dnsmasq.field(s.rangeEnd)],[=dnsmasq.field(s.netmask)],1h
<#else>
dhcp-range=set:[=s.tag],[=dnsmasq.field(s.address)],static,[=dnsmasq.field(s.netmask)],1h
</#if>
<#if s.router??>
dhcp-option=tag:[=s.tag],option:router,[=dnsmasq.field(s.router)]
</#if>
<#if s.dns?has_content>
dhcp-option=tag:[=s.tag],option:dns-server,<#list s.dns as d>[=dnsmasq.field(d)]<#sep>,</#list>
</#if>
<#if s.domain??>
dhcp-option=tag:[=s.tag],option:domain-name,[=dnsmasq.field(s.domain)]
</#if>
<#list s.reservations as r>
dhcp-host=[=dnsmasq.field(r.mac)],[=dnsmasq.field(r.ip)],[=dnsmasq.name(r.shortName)]
</#list>
</#list>

# Boot programs by client: iPXE gets its HTTP script, UEFI x64 and arm64 their GRUB, BIOS pxelinux.
<#if site.server.ipxeScript>
dhcp-userclass=set:ipxe,iPXE
</#if>
dhcp-match=set:efi-x86_64,option:client-arch,7
dhcp-match=set:efi-x86_64,option:client-arch,9
dhcp-match=set:efi-arm64,option:client-arch,11
<#if site.server.ipxeScript>
dhcp-boot=tag:ipxe,[=dnsmasq.field(site.ipxeUrl)]
</#if>
<#list site.subnets as s>
<#assign next = dnsmasq.field(s.nextServer!site.serverAddress)>
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:efi-x86_64,[=dnsmasq.field(site.server.uefiLoader)],,[=next]
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:efi-arm64,[=dnsmasq.field(site.server.arm64Loader)],,[=next]
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:!efi-x86_64,tag:!efi-arm64,[=dnsmasq.field(site.server.biosLoader)],,[=next]
</#list>
