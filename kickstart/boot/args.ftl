<#-- The installer's kernel command line; BOOTIF makes it use the interface that booted. -->
<#assign args = "inst.repo=" + host.distro.installTree + " inst.ks=" + host.ksUrl + " BOOTIF=" + nic.pxeName>
<#if host.kernelArgs?has_content><#assign args = args + " " + host.kernelArgs></#if>
