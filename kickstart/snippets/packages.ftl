%packages
<#list host.profile.packages as package>
[=ks.line(package)]
</#list>
%end
