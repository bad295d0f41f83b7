package io.kickdrift.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.dns.Doctor.Answer;
import io.kickdrift.server.dns.Doctor.Finding;
import io.kickdrift.server.dns.Doctor.Kind;
import io.kickdrift.server.dns.Doctor.Observation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/** {@link Doctor} on answers from a table: one case per kind of finding. */
class DoctorTest {
  static final HostNames.Entry WEB01 =
      entry("web01.lab.example.com", "web01.lab.example.com", "192.0.2.21");
  static final Answer NXDOMAIN = Answer.of(Rcode.NXDOMAIN, List.of());
  static final Answer NODATA = Answer.of(Rcode.NOERROR, List.of());

  static HostNames.Entry entry(String host, String name, String ip) {
    InetAddress address = address(ip);
    return new HostNames.Entry(
        host, HostNames.absolute(name), address, ReverseMap.fromAddress(address));
  }

  static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  /** A NOERROR answer with an A (or AAAA) record at {@code name} per address. */
  static Answer forward(String name, String... ips) {
    List<Record> records = new ArrayList<>();
    for (String ip : ips) {
      InetAddress a = address(ip);
      records.add(
          ip.contains(":")
              ? new AAAARecord(HostNames.absolute(name), DClass.IN, 3600, a)
              : new ARecord(HostNames.absolute(name), DClass.IN, 3600, a));
    }
    return Answer.of(Rcode.NOERROR, records);
  }

  /** A NOERROR answer with a PTR at {@code at} per target. */
  static Answer ptr(Name at, String... targets) {
    List<Record> records = new ArrayList<>();
    for (String t : targets) {
      records.add(new PTRRecord(at, DClass.IN, 3600, HostNames.absolute(t)));
    }
    return Answer.of(Rcode.NOERROR, records);
  }

  static Answer good(HostNames.Entry e) {
    return ptr(e.reverse(), e.name().toString());
  }

  static List<Finding> classify(HostNames.Entry e, Answer forward, Answer reverse) {
    return Doctor.classify(e, new Observation(forward, reverse, Map.of()));
  }

  static List<Kind> kinds(List<Finding> findings) {
    return findings.stream().map(Finding::kind).toList();
  }

  @Test
  void aConsistentHostHasNoFinding() {
    assertThat(classify(WEB01, forward("web01.lab.example.com", "192.0.2.21"), good(WEB01)))
        .isEmpty();
  }

  @Test
  void namesCompareCaseInsensitively() {
    Answer shouting = ptr(WEB01.reverse(), "WEB01.Lab.Example.COM");
    assertThat(classify(WEB01, forward("Web01.LAB.example.com", "192.0.2.21"), shouting)).isEmpty();
    HostNames.Entry upper = entry("WEB01", "WEB01.LAB.EXAMPLE.COM", "192.0.2.21");
    assertThat(classify(upper, forward("web01.lab.example.com", "192.0.2.21"), good(WEB01)))
        .isEmpty();
  }

  /** An entry's answers that make one finding, its kind, and the finding as reports show it. */
  static Stream<Arguments> oneFinding() {
    Answer right = forward("web01.lab.example.com", "192.0.2.21");
    HostNames.Entry web02 = entry("web02.lab.example.com", "web02.lab.example.com", "192.0.2.22");
    String web01 = "web01.lab.example.com: ";
    String missingPtr = "no PTR at 21.2.0.192.in-addr.arpa, expected PTR web01.lab.example.com.";
    return Stream.of(
        Arguments.of(
            Named.of("NXDOMAIN is a missing forward", WEB01),
            NXDOMAIN,
            good(WEB01),
            Kind.MISSING_FORWARD,
            web01 + "A 192.0.2.21 expected, but web01.lab.example.com. does not exist"),
        Arguments.of(
            Named.of(
                "an A pointing elsewhere says what it points at and what the inventory says",
                WEB01),
            forward("web01.lab.example.com", "192.0.2.50"),
            good(WEB01),
            Kind.FORWARD_ELSEWHERE,
            web01 + "A 192.0.2.21 expected, but web01.lab.example.com. has A 192.0.2.50"),
        Arguments.of(
            Named.of("an extra address beside the right one is forward-extra", WEB01),
            forward("web01.lab.example.com", "192.0.2.21", "192.0.2.77"),
            good(WEB01),
            Kind.FORWARD_EXTRA,
            web01 + "A 192.0.2.21 expected, but web01.lab.example.com. also has A 192.0.2.77"),
        Arguments.of(
            Named.of("NXDOMAIN for the PTR is a missing reverse", WEB01),
            right,
            NXDOMAIN,
            Kind.MISSING_REVERSE,
            web01 + missingPtr),
        Arguments.of(
            Named.of("no data for the PTR is a missing reverse", WEB01),
            right,
            NODATA,
            Kind.MISSING_REVERSE,
            web01 + missingPtr),
        Arguments.of(
            Named.of("a PTR naming another name is reverse-elsewhere", WEB01),
            right,
            ptr(WEB01.reverse(), "web09.lab.example.com"),
            Kind.REVERSE_ELSEWHERE,
            web01
                + "PTR web01.lab.example.com. expected, but 21.2.0.192.in-addr.arpa has PTR"
                + " web09.lab.example.com."),
        Arguments.of(
            Named.of("two PTRs are listed even if one is right", web02),
            forward("web02.lab.example.com", "192.0.2.22"),
            ptr(web02.reverse(), "web02.lab.example.com", "a"),
            Kind.DUPLICATE_PTR,
            "web02.lab.example.com: 22.2.0.192.in-addr.arpa has 2 PTRs: a., web02.lab.example.com."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneFinding")
  void answersMakeOneFindingOfTheirKind(
      HostNames.Entry e, Answer forward, Answer reverse, Kind kind, String shown) {
    List<Finding> findings = classify(e, forward, reverse);
    assertThat(kinds(findings)).containsExactly(kind);
    assertThat(findings.get(0).toString()).isEqualTo(shown);
  }

  @Test
  void aNameWithoutAnAIsAMissingForward() {
    // the name exists with an AAAA only: no data for A
    Answer aaaaOnly = forward("web01.lab.example.com", "2001:db8::21");
    assertThat(classify(WEB01, NODATA, good(WEB01)).get(0).message())
        .isEqualTo("A 192.0.2.21 expected, but web01.lab.example.com. has no A");
    assertThat(kinds(classify(WEB01, aaaaOnly, good(WEB01)))).containsExactly(Kind.MISSING_FORWARD);
  }

  @Test
  void anIpv6EntryIsCheckedAgainstItsAaaa() {
    HostNames.Entry v6 = entry("web01.lab.example.com", "web01.lab.example.com", "2001:db8::21");
    assertThat(classify(v6, forward("web01.lab.example.com", "2001:db8::21"), good(v6))).isEmpty();
    List<Finding> findings = classify(v6, forward("web01.lab.example.com", "192.0.2.21"), good(v6));
    assertThat(kinds(findings)).containsExactly(Kind.MISSING_FORWARD);
    assertThat(findings.get(0).message()).startsWith("AAAA 2001:db8:0:0:0:0:0:21 expected");
  }

  @Test
  void anAddressWhosePtrNamesAnotherHostIsAMismatch() {
    Observation seen = atAnotherAddressWhosePtrNames("hand.lab.example.com");

    List<Finding> findings = Doctor.classify(WEB01, seen);

    assertThat(kinds(findings)).containsExactly(Kind.FORWARD_ELSEWHERE, Kind.MISMATCH);
    assertThat(findings.get(1).message())
        .isEqualTo(
            "web01.lab.example.com. has A 192.0.2.50, but 50.2.0.192.in-addr.arpa names"
                + " hand.lab.example.com.");
  }

  @Test
  void anAddressWhosePtrNamesTheHostItselfIsNoMismatch() {
    Observation seen = atAnotherAddressWhosePtrNames("WEB01.lab.example.com");

    assertThat(kinds(Doctor.classify(WEB01, seen))).containsExactly(Kind.FORWARD_ELSEWHERE);
  }

  /** web01 answering at 192.0.2.50, not its inventory address, whose PTR names {@code name}. */
  private static Observation atAnotherAddressWhosePtrNames(String name) {
    InetAddress other = address("192.0.2.50");
    return new Observation(
        forward("web01.lab.example.com", "192.0.2.50"),
        good(WEB01),
        Map.of(other, ptr(ReverseMap.fromAddress(other), name)));
  }

  @Test
  void failedQueriesAreUnresolvableAndNameTheResolverAndRcode() {
    Answer servfail = Answer.failed("127.0.0.1:5353 answered SERVFAIL");
    Answer refused = Answer.of(Rcode.REFUSED, List.of());

    List<Finding> findings = classify(WEB01, servfail, refused);

    assertThat(kinds(findings)).containsExactly(Kind.UNRESOLVABLE, Kind.UNRESOLVABLE);
    assertThat(findings.get(0).message())
        .isEqualTo("A query for web01.lab.example.com. failed: 127.0.0.1:5353 answered SERVFAIL");
    assertThat(findings.get(1).message())
        .isEqualTo("PTR query for 21.2.0.192.in-addr.arpa. failed: REFUSED");
  }

  /** Answers from a table, completed later on another thread; counts what is in flight. */
  static final class Table implements Doctor.Lookups {
    final Map<String, Answer> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    Table put(String name, int type, Answer answer) {
      answers.put(key(HostNames.absolute(name), type), answer);
      return this;
    }

    static String key(Name name, int type) {
      return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + Type.string(type);
    }

    @Override
    public synchronized CompletionStage<Answer> query(Name name, int type) {
      asked.add(key(name, type));
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<Answer> answer = new CompletableFuture<>();
      later.schedule(
          () -> {
            inFlight.decrementAndGet();
            answer.complete(answers.getOrDefault(key(name, type), NXDOMAIN));
          },
          2,
          TimeUnit.MILLISECONDS);
      return answer;
    }
  }

  @Test
  void checkAsksEachQuestionOnceWithinTheBoundAndFollowsForeignAddresses() throws Exception {
    Table table =
        new Table()
            .put("web01.lab.example.com", Type.A, forward("web01.lab.example.com", "192.0.2.50"))
            .put("21.2.0.192.in-addr.arpa", Type.PTR, good(WEB01))
            .put(
                "50.2.0.192.in-addr.arpa",
                Type.PTR,
                ptr(ReverseMap.fromAddress(address("192.0.2.50")), "hand.lab.example.com"));
    List<HostNames.Entry> entries = new ArrayList<>(List.of(WEB01, WEB01));
    for (int i = 1; i <= 20; i++) {
      String ip = "198.51.100." + i;
      String name = "h" + i + ".lab.example.com";
      entries.add(entry(name, name, ip));
      table.put(name, Type.A, forward(name, ip));
      table.put(ReverseMap.fromAddress(address(ip)).toString(), Type.PTR, ptr(Name.root, name));
    }

    Doctor.Report report = Doctor.check(entries, table, 3);
    table.later.shutdown();

    assertThat(table.maxInFlight.get()).isBetween(1, 3);
    assertThat(table.asked).doesNotHaveDuplicates().hasSize(2 + 1 + 40);
    assertThat(report.hosts()).isEqualTo(21);
    assertThat(report.addresses()).isEqualTo(22);
    assertThat(report.queries()).isEqualTo(43);
    assertThat(report.failedQueries()).isZero();
    assertThat(kinds(report.findings()))
        .containsExactly(
            Kind.FORWARD_ELSEWHERE, Kind.MISMATCH, Kind.FORWARD_ELSEWHERE, Kind.MISMATCH);
    assertThat(report.exitStatus()).isEqualTo(1);
  }

  @Test
  void exitStatusIsZeroWhenAllAgreeAndTwoWhenEveryQueryFailed() throws Exception {
    Doctor.Lookups agreeing =
        (name, type) ->
            CompletableFuture.completedFuture(
                type == Type.A ? forward(name.toString(), "192.0.2.21") : good(WEB01));
    Doctor.Lookups dead =
        (name, type) ->
            CompletableFuture.failedFuture(
                new java.io.IOException("127.0.0.1:9: port unreachable"));

    Doctor.Report fine = Doctor.check(List.of(WEB01), agreeing, 64);
    Doctor.Report unreachable = Doctor.check(List.of(WEB01), dead, 64);

    assertThat(fine.findings()).isEmpty();
    assertThat(fine.exitStatus()).isZero();
    assertThat(unreachable.unreachable()).isTrue();
    assertThat(unreachable.exitStatus()).isEqualTo(2);
    assertThat(unreachable.findings())
        .extracting(Finding::message)
        .containsExactly(
            "A query for web01.lab.example.com. failed: 127.0.0.1:9: port unreachable",
            "PTR query for 21.2.0.192.in-addr.arpa. failed: 127.0.0.1:9: port unreachable");
  }

  @Test
  void someFailedQueriesExitOne() throws Exception {
    Doctor.Lookups half =
        (name, type) ->
            CompletableFuture.completedFuture(
                type == Type.A
                    ? forward(name.toString(), "192.0.2.21")
                    : Answer.failed("127.0.0.1:53 answered SERVFAIL"));

    Doctor.Report report = Doctor.check(List.of(WEB01), half, 64);

    assertThat(kinds(report.findings())).containsExactly(Kind.UNRESOLVABLE);
    assertThat(report.exitStatus()).isEqualTo(1);
  }
}
