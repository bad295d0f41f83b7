package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dns.Doctor.Answer;
import io.kickdrift.server.dns.Doctor.Finding;
import io.kickdrift.server.dns.Doctor.Observation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;

/**
 * {@link Doctor#classify} on random answers: it never throws, and it finds something exactly when
 * the answers disagree with the inventory (forward not exactly the address, reverse not exactly the
 * name, case aside, or a query failed).
 */
class DoctorPropertiesTest {
  static final HostNames.Entry ENTRY =
      DoctorTest.entry("web01", "web01.lab.example.com", "192.0.2.21");
  static final List<String> ADDRESSES =
      List.of("192.0.2.21", "192.0.2.50", "192.0.2.51", "2001:db8::21");
  static final List<String> NAMES =
      List.of("web01.lab.example.com", "WEB01.Lab.Example.Com", "web02.lab.example.com", "a");
  static final int[] RCODES = {
    Rcode.NOERROR, Rcode.NOERROR, Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.SERVFAIL, Rcode.REFUSED
  };

  @Property(tries = 2000)
  void findsSomethingExactlyWhenTheAnswersDisagree(@ForAll("observations") Observation seen) {
    List<Finding> findings = Doctor.classify(ENTRY, seen);
    Statistics.collect(agrees(seen) ? "agrees" : "disagrees");

    assertThat(findings.isEmpty()).as("%s -> %s", seen, findings).isEqualTo(agrees(seen));
    assertThat(findings)
        .allSatisfy(
            f -> {
              assertThat(f.host()).isEqualTo("web01");
              assertThat(f.message()).isNotBlank();
            });
    // both sides of the "iff" must actually be exercised
    Statistics.coverage(
        c -> {
          c.check("agrees").count(n -> n >= 5);
          c.check("disagrees").count(n -> n >= 20);
        });
  }

  /** The oracle, by strings: the A set is exactly the address and the PTR set exactly the name. */
  static boolean agrees(Observation seen) {
    if (!seen.forward().ok() || !seen.reverse().ok()) {
      return false;
    }
    Set<String> a = new HashSet<>();
    for (Record r : seen.forward().records()) {
      if (r instanceof ARecord ar) {
        a.add(ar.getAddress().getHostAddress());
      }
    }
    Set<String> ptr = new HashSet<>();
    for (Record r : seen.reverse().records()) {
      if (r instanceof PTRRecord p) {
        ptr.add(p.getTarget().toString().toLowerCase(Locale.ROOT));
      }
    }
    return a.equals(Set.of("192.0.2.21")) && ptr.equals(Set.of("web01.lab.example.com."));
  }

  @Provide
  Arbitrary<Observation> observations() {
    Arbitrary<Answer> forward = answers(forwardRecords());
    Arbitrary<Answer> reverse = answers(ptrRecords(ENTRY.reverse()));
    Arbitrary<Map<InetAddress, Answer>> elsewhere =
        Arbitraries.subsetOf("192.0.2.50", "192.0.2.51", "192.0.2.21")
            .flatMap(
                ips -> {
                  List<String> list = List.copyOf(ips);
                  List<Arbitrary<Answer>> each = new ArrayList<>();
                  for (String ip : list) {
                    each.add(answers(ptrRecords(ReverseMap.fromAddress(DoctorTest.address(ip)))));
                  }
                  return Combinators.combine(each)
                      .as(
                          answers -> {
                            Map<InetAddress, Answer> m = new HashMap<>();
                            for (int i = 0; i < list.size(); i++) {
                              m.put(DoctorTest.address(list.get(i)), answers.get(i));
                            }
                            return m;
                          });
                });
    return Combinators.combine(forward, reverse, elsewhere).as(Observation::new);
  }

  static Arbitrary<Answer> answers(Arbitrary<List<Record>> records) {
    Arbitrary<Integer> rcode = Arbitraries.of(0, 1, 2, 3, 4, 5).map(i -> RCODES[i]);
    Arbitrary<Answer> given = Combinators.combine(rcode, records).as(Answer::of);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, given),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Answer.failed("127.0.0.1:53: no answer"))));
  }

  static Arbitrary<List<Record>> forwardRecords() {
    Name name = ENTRY.name();
    Arbitrary<Record> one =
        Arbitraries.oneOf(
            Arbitraries.of(ADDRESSES)
                .map(
                    ip ->
                        ip.contains(":")
                            ? new AAAARecord(name, DClass.IN, 60, DoctorTest.address(ip))
                            : new ARecord(name, DClass.IN, 60, DoctorTest.address(ip))),
            Arbitraries.just(new TXTRecord(name, DClass.IN, 60, "v=spf1 -all")));
    return one.list().ofMaxSize(4);
  }

  static Arbitrary<List<Record>> ptrRecords(Name at) {
    return Arbitraries.of(NAMES)
        .map(n -> (Record) new PTRRecord(at, DClass.IN, 60, HostNames.absolute(n)))
        .list()
        .ofMaxSize(3);
  }
}
