url --url=[=host.distro.installTree]
<#list host.profile.repos as repo>
repo --name=[=repo.name] --baseurl=[=repo.baseurl]
</#list>
