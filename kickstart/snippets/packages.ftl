%packages
<#list host.profile.packages as package>
[=package]
</#list>
%end
