url --url=[=ks.word(host.distro.installTree)]
<#list host.profile.repos as repo>
repo --name=[=ks.word(repo.name)] --baseurl=[=ks.word(repo.baseurl)]
</#list>
