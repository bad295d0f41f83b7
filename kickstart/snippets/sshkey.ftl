<#-- The key kickdrift's fleet scans log in with. -->
<#if host.scanKey??>
sshkey --username=root "[=ks.inDoubleQuotes(host.scanKey)]"
</#if>
