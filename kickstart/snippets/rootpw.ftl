<#-- Only a SHA-512 crypt hash (kickdrift passwd makes one); without one, root is locked. -->
<#if host.rootPasswordHash??>
rootpw --iscrypted [=ks.word(host.rootPasswordHash)]
<#else>
rootpw --lock
</#if>
