<#-- The installer's kernel command line; BOOTIF makes it use the interface that booted. Each value
     is one kernel word (cmdline.word); kernel-args is the user's own command line. The menus then
     write it in their syntax: grub.args, ipxe.text, pxelinux.text. -->
<#assign args = "inst.repo=" + cmdline.word(host.distro.installTree) + " inst.ks=" + cmdline.word(host.ksUrl) + " BOOTIF=" + cmdline.word(nic.pxeName)>
<#if host.kernelArgs?has_content><#assign args = args + " " + host.kernelArgs></#if>
