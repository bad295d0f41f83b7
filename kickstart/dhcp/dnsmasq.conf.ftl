# dnsmasq DHCP configuration rendered by kickdrift from [=site.source]; edit the inventory, not
# this file. Check with: dnsmasq --test -C dnsmasq.conf
<#list site.subnets as s>

# [=s.cidr]
<#if s.rangeStart??>
dhcp-range=set:[=s.tag],[=s.rangeStart],[=s.rangeEnd],[=s.netmask],1h
<#else>
dhcp-range=set:[=s.tag],[=s.address],static,[=s.netmask],1h
</#if>
<#if s.router??>
dhcp-option=tag:[=s.tag],option:router,[=s.router]
</#if>
<#if s.dns?has_content>
dhcp-option=tag:[=s.tag],option:dns-server,[=s.dns?join(",")]
</#if>
<#if s.domain??>
dhcp-option=tag:[=s.tag],option:domain-name,[=s.domain]
</#if>
<#list s.reservations as r>
dhcp-host=[=r.mac],[=r.ip],[=r.shortName]
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
dhcp-boot=tag:ipxe,[=site.ipxeUrl]
</#if>
<#list site.subnets as s>
<#assign next = s.nextServer!site.serverAddress>
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:efi-x86_64,[=site.server.uefiLoader],,[=next]
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:efi-arm64,[=site.server.arm64Loader],,[=next]
dhcp-boot=tag:[=s.tag],tag:!ipxe,tag:!efi-x86_64,tag:!efi-arm64,[=site.server.biosLoader],,[=next]
</#list>
