package io.kickdrift.server.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * What the site's resolvers say about each address the inventory wants, compared with the
 * inventory. {@link #classify} is a pure function of the answers; {@link #check} asks a {@link
 * Lookups} for them, a bounded number at a time. Names compare case-insensitively, as in DNS.
 *
 * <pre>{@code
 * Doctor.Report report = Doctor.check(HostNames.of(inventory), lookups, 64);
 * report.findings().forEach(f -> System.out.println(f.host() + ": " + f.message()));
 * }</pre>
 */
public final class Doctor {
  private Doctor() {}

  /** Where answers come from: a real resolver, or a table in tests. */
  public interface Lookups {
    /**
     * The answer to one question of class IN. A resolver that fails (no answer, SERVFAIL, REFUSED)
     * gives an {@link Answer#failed} answer, or completes exceptionally.
     */
    CompletionStage<Answer> query(Name name, int type);
  }

  /**
   * A resolver's answer: its rcode and answer section, or why no usable answer came ({@code
   * failure}, naming the resolver). Any rcode but NOERROR and NXDOMAIN is a failure.
   */
  public record Answer(int rcode, List<Record> records, String failure) {
    public Answer {
      records = records == null ? List.of() : List.copyOf(records);
      if (failure == null && rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        failure = Rcode.string(rcode);
      }
    }

    /** An answer a resolver gave. */
    public static Answer of(int rcode, List<Record> records) {
      return new Answer(rcode, records, null);
    }

    /** No usable answer, e.g. {@code 127.0.0.1:53: no answer in 3 s}. */
    public static Answer failed(String why) {
      return new Answer(Rcode.SERVFAIL, List.of(), Objects.requireNonNull(why));
    }

    public boolean ok() {
      return failure == null;
    }
  }

  /** What one finding is about; see docs/dns.md. */
  public enum Kind {
    MISSING_FORWARD,
    FORWARD_ELSEWHERE,
    FORWARD_EXTRA,
    MISSING_REVERSE,
    REVERSE_ELSEWHERE,
    DUPLICATE_PTR,
    MISMATCH,
    UNRESOLVABLE
  }

  /** One way DNS disagrees with the inventory about a host's address. */
  public record Finding(String host, Name name, InetAddress address, Kind kind, String message) {
    /** {@code HOST: message}, the line {@code doctor} prints. */
    @Override
    public String toString() {
      return host + ": " + message;
    }
  }

  /**
   * The answers about one entry: the A or AAAA at its name, the PTR at its reverse name, and the
   * PTR at the reverse name of each other address the forward answer gave (absent ones were not
   * asked).
   */
  public record Observation(Answer forward, Answer reverse, Map<InetAddress, Answer> elsewhere) {
    public Observation {
      Objects.requireNonNull(forward, "forward");
      Objects.requireNonNull(reverse, "reverse");
      elsewhere = elsewhere == null ? Map.of() : Map.copyOf(elsewhere);
    }
  }

  /**
   * The outcome of a check.
   *
   * @param queries questions asked; {@code failedQueries} of them got no usable answer
   */
  public record Report(
      int hosts, int addresses, int queries, int failedQueries, List<Finding> findings) {
    public Report {
      findings = List.copyOf(findings);
    }

    /** Every question failed: the resolvers are unreachable or refuse us. */
    public boolean unreachable() {
      return queries > 0 && failedQueries == queries;
    }

    /** 0 consistent, 1 findings, 2 no resolver answered. */
    public int exitStatus() {
      return unreachable() ? 2 : findings.isEmpty() ? 0 : 1;
    }
  }

  /** A or AAAA, after the address's family. */
  static int type(InetAddress address) {
    return address instanceof Inet6Address ? Type.AAAA : Type.A;
  }

  /** What disagrees with the inventory about {@code entry}; empty when DNS agrees. */
  public static List<Finding> classify(HostNames.Entry entry, Observation seen) {
    List<Finding> findings = new ArrayList<>();
    forward(entry, seen, findings);
    reverse(entry, seen.reverse(), findings);
    return findings;
  }

  private static void forward(HostNames.Entry e, Observation seen, List<Finding> out) {
    int type = type(e.address());
    String t = Type.string(type);
    Answer forward = seen.forward();
    if (!forward.ok()) {
      out.add(unresolvable(e, t, e.name(), forward));
      return;
    }
    List<InetAddress> found = addresses(forward, type);
    String expected = t + " " + e.address().getHostAddress() + " expected";
    if (found.isEmpty()) {
      String why = forward.rcode() == Rcode.NXDOMAIN ? "does not exist" : "has no " + t;
      out.add(finding(e, Kind.MISSING_FORWARD, expected + ", but " + e.name() + " " + why));
      return;
    }
    List<InetAddress> others = found.stream().filter(a -> !a.equals(e.address())).toList();
    if (others.size() == found.size()) {
      out.add(
          finding(
              e,
              Kind.FORWARD_ELSEWHERE,
              expected + ", but " + e.name() + " has " + t + " " + addressList(found)));
    } else if (!others.isEmpty()) {
      out.add(
          finding(
              e,
              Kind.FORWARD_EXTRA,
              expected + ", but " + e.name() + " also has " + t + " " + addressList(others)));
    }
    for (InetAddress other : others) {
      Answer ptr = seen.elsewhere().get(other);
      if (ptr == null) {
        continue;
      }
      Name reverse = ReverseMap.fromAddress(other);
      if (!ptr.ok()) {
        out.add(unresolvable(e, "PTR", reverse, ptr));
        continue;
      }
      Set<Name> names = ptrs(ptr);
      if (!names.isEmpty() && !names.contains(e.name())) {
        out.add(
            finding(
                e,
                Kind.MISMATCH,
                e.name()
                    + " has "
                    + t
                    + " "
                    + other.getHostAddress()
                    + ", but "
                    + reverse.toString(true)
                    + " names "
                    + nameList(names)));
      }
    }
  }

  private static void reverse(HostNames.Entry e, Answer reverse, List<Finding> out) {
    String at = e.reverse().toString(true);
    if (!reverse.ok()) {
      out.add(unresolvable(e, "PTR", e.reverse(), reverse));
      return;
    }
    Set<Name> names = ptrs(reverse);
    if (names.isEmpty()) {
      out.add(finding(e, Kind.MISSING_REVERSE, "no PTR at " + at + ", expected PTR " + e.name()));
    } else if (names.size() > 1) {
      out.add(
          finding(
              e, Kind.DUPLICATE_PTR, at + " has " + names.size() + " PTRs: " + nameList(names)));
    } else if (!names.contains(e.name())) {
      out.add(
          finding(
              e,
              Kind.REVERSE_ELSEWHERE,
              "PTR " + e.name() + " expected, but " + at + " has PTR " + nameList(names)));
    }
  }

  private static Finding unresolvable(HostNames.Entry e, String type, Name name, Answer answer) {
    return finding(
        e, Kind.UNRESOLVABLE, type + " query for " + name + " failed: " + answer.failure());
  }

  private static Finding finding(HostNames.Entry e, Kind kind, String message) {
    return new Finding(e.host(), e.name(), e.address(), kind, message);
  }

  /** The distinct addresses of {@code type} in the answer, in textual order. */
  static List<InetAddress> addresses(Answer answer, int type) {
    Set<InetAddress> found = new LinkedHashSet<>();
    for (Record r : answer.records()) {
      if (r.getType() != type) {
        continue;
      }
      if (r instanceof ARecord a) {
        found.add(a.getAddress());
      } else if (r instanceof AAAARecord a) {
        found.add(a.getAddress());
      }
    }
    return found.stream().sorted(Comparator.comparing(InetAddress::getHostAddress)).toList();
  }

  /** The distinct PTR targets in the answer; case-insensitive, in canonical order. */
  static Set<Name> ptrs(Answer answer) {
    Set<Name> names = new TreeSet<>();
    for (Record r : answer.records()) {
      if (r instanceof PTRRecord p) {
        names.add(p.getTarget());
      }
    }
    return names;
  }

  private static String addressList(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
  }

  private static String nameList(Set<Name> names) {
    return names.stream().map(Name::toString).collect(Collectors.joining(", "));
  }

  /**
   * Asks {@code lookups} about every entry, at most {@code maxInFlight} questions at a time and
   * each distinct question once, then classifies the answers. Forward answers that name other
   * addresses lead to a second round: the PTRs of those addresses.
   */
  public static Report check(List<HostNames.Entry> entries, Lookups lookups, int maxInFlight)
      throws InterruptedException {
    Asker asker = new Asker(lookups, maxInFlight);
    Map<HostNames.Entry, CompletableFuture<Answer>> forward = new LinkedHashMap<>();
    Map<HostNames.Entry, CompletableFuture<Answer>> reverse = new LinkedHashMap<>();
    for (HostNames.Entry e : entries) {
      forward.put(e, asker.ask(e.name(), type(e.address())));
      reverse.put(e, asker.ask(e.reverse(), Type.PTR));
    }
    Map<HostNames.Entry, Map<InetAddress, CompletableFuture<Answer>>> elsewhere = new HashMap<>();
    for (HostNames.Entry e : entries) {
      Answer answer = forward.get(e).join();
      if (!answer.ok()) {
        continue;
      }
      Map<InetAddress, CompletableFuture<Answer>> asked = new LinkedHashMap<>();
      for (InetAddress a : addresses(answer, type(e.address()))) {
        if (!a.equals(e.address())) {
          asked.put(a, asker.ask(ReverseMap.fromAddress(a), Type.PTR));
        }
      }
      elsewhere.put(e, asked);
    }
    List<Finding> findings = new ArrayList<>();
    for (HostNames.Entry e : entries) {
      Map<InetAddress, Answer> others = new HashMap<>();
      elsewhere.getOrDefault(e, Map.of()).forEach((a, f) -> others.put(a, f.join()));
      findings.addAll(
          classify(e, new Observation(forward.get(e).join(), reverse.get(e).join(), others)));
    }
    int hosts = (int) entries.stream().map(HostNames.Entry::host).distinct().count();
    return new Report(hosts, entries.size(), asker.asked(), asker.failed(), findings);
  }

  /** Asks each distinct question once, with a bound on those in flight. */
  private static final class Asker {
    private record Question(Name name, int type) {}

    private final Lookups lookups;
    private final Semaphore inFlight;
    private final Map<Question, CompletableFuture<Answer>> asked = new HashMap<>();

    Asker(Lookups lookups, int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight " + maxInFlight + ": expected at least 1");
      }
      this.lookups = lookups;
      this.inFlight = new Semaphore(maxInFlight);
    }

    CompletableFuture<Answer> ask(Name name, int type) throws InterruptedException {
      Question q = new Question(name, type);
      CompletableFuture<Answer> known = asked.get(q);
      if (known != null) {
        return known;
      }
      inFlight.acquire();
      CompletableFuture<Answer> answer;
      try {
        answer =
            lookups
                .query(name, type)
                .toCompletableFuture()
                .handle((a, e) -> e == null ? a : Answer.failed(reason(e)));
      } catch (RuntimeException e) {
        answer = CompletableFuture.completedFuture(Answer.failed(reason(e)));
      }
      answer = answer.whenComplete((a, e) -> inFlight.release());
      asked.put(q, answer);
      return answer;
    }

    int asked() {
      return asked.size();
    }

    int failed() {
      return (int) asked.values().stream().filter(f -> !f.join().ok()).count();
    }

    private static String reason(Throwable e) {
      Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
      cause = cause == null ? e : cause;
      return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
  }
}
