<#-- RHEL 8 names NTP servers on timezone; later versions use timesource. -->
lang [=host.vars.lang!"en_US.UTF-8"]
keyboard --vckeymap=[=host.vars.keyboard!"us"] --xlayouts=[=host.vars.keyboard!"us"]
<#if legacyNtp!false>
timezone [=host.vars.timezone!"UTC"] --utc<#if host.vars["ntp-server"]??> --ntpservers=[=host.vars["ntp-server"]]</#if>
<#else>
timezone [=host.vars.timezone!"UTC"] --utc
<#if host.vars["ntp-server"]??>
timesource --ntp-server=[=host.vars["ntp-server"]]
</#if>
</#if>
