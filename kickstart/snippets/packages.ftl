%packages
<#list host.profile.packages as package>
[=ks.line(package)]
</#list>
<#-- the packages the host's desired files belong to (snippets/desired.ftl) -->
<#list host.desired.packages as package>
<#if !host.profile.packages?seq_contains(package)>
[=ks.line(package)]
</#if>
</#list>
%end
