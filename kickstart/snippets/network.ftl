<#list host.nics as nic>
<#if nic.ip??>
network --device=[=nic.mac] --bootproto=static --ip=[=nic.ip]<#if nic.netmask??> --netmask=[=nic.netmask]</#if><#if nic.gateway?? && nic?is_first> --gateway=[=nic.gateway]</#if><#if nic.dns?has_content> --nameserver=[=nic.dns?join(",")]</#if> --onboot=yes --activate
<#else>
network --device=[=nic.mac] --bootproto=dhcp --onboot=yes --activate
</#if>
</#list>
network --hostname=[=host.name]
