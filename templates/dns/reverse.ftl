<#-- A reverse zone (dns/db.2.0.192.in-addr.arpa, ip6.arpa): a PTR record per address. -->
<#include "soa.ftl">
<#list zone.records as r>
[=zonefile.word(r.owner)?right_pad(width)] IN [=r.type] [=zonefile.word(r.data)]
</#list>
