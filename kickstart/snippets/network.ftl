<#list host.nics as nic>
<#if nic.ip??>
network --device=[=ks.word(nic.mac)] --bootproto=static --ip=[=ks.word(nic.ip)]<#if nic.netmask??> --netmask=[=ks.word(nic.netmask)]</#if><#if nic.gateway?? && nic?is_first> --gateway=[=ks.word(nic.gateway)]</#if><#if nic.dns?has_content> --nameserver=[=ks.word(nic.dns?join(","))]</#if> --onboot=yes --activate
<#else>
network --device=[=ks.word(nic.mac)] --bootproto=dhcp --onboot=yes --activate
</#if>
</#list>
network --hostname=[=ks.word(host.name)]
