<#if host.vars["install-disk"]??>
ignoredisk --only-use=[=host.vars["install-disk"]]
</#if>
zerombr
clearpart --all --initlabel
[=host.profile.partitioning!"autopart"]
bootloader --timeout=1
