<#-- RHEL 8 names NTP servers on timezone; later versions use timesource. -->
lang [=ks.word(host.vars.lang!"en_US.UTF-8")]
keyboard --vckeymap=[=ks.word(host.vars.keyboard!"us")] --xlayouts=[=ks.word(host.vars.keyboard!"us")]
<#if legacyNtp!false>
timezone [=ks.word(host.vars.timezone!"UTC")] --utc<#if host.vars["ntp-server"]??> --ntpservers=[=ks.word(host.vars["ntp-server"])]</#if>
<#else>
timezone [=ks.word(host.vars.timezone!"UTC")] --utc
<#if host.vars["ntp-server"]??>
timesource --ntp-server=[=ks.word(host.vars["ntp-server"])]
</#if>
</#if>
