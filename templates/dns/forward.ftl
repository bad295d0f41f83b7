<#-- A forward zone (dns/db.lab.example.com): the A and AAAA records of the inventory's hosts. -->
<#include "soa.ftl">
<#list zone.records as r>
[=zonefile.word(r.owner)?right_pad(width)] IN [=r.type] [=zonefile.word(r.data)]
</#list>
