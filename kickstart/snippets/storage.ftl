<#if host.vars["install-disk"]??>
ignoredisk --only-use=[=ks.word(host.vars["install-disk"])]
</#if>
zerombr
clearpart --all --initlabel
[=ks.line(host.profile.partitioning!"autopart")]
bootloader --timeout=1
