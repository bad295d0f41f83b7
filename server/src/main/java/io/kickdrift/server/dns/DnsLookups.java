package io.kickdrift.server.dns;

import io.kickdrift.server.inventory.Inventory;
import io.kickdrift.server.inventory.Subnet;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * {@link Doctor.Lookups} through real resolvers, asynchronously over UDP (TCP when truncated). A
 * resolver that does not answer in time is asked again {@code retries} times; one that answers
 * SERVFAIL, REFUSED or the like, or never answers, hands the question to the next. The failure of
 * the last names every resolver and what each did.
 */
public final class DnsLookups implements Doctor.Lookups {
  private final List<SimpleResolver> resolvers = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private final Duration timeout;
  private final int retries;

  public DnsLookups(List<InetSocketAddress> servers, Duration timeout, int retries) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no resolver to ask");
    }
    for (InetSocketAddress server : servers) {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(timeout);
      resolvers.add(r);
      labels.add(Primary.endpoint(server));
    }
    this.timeout = timeout;
    this.retries = retries;
  }

  /**
   * The resolvers to ask, in order of preference: {@code flags} ({@code --resolver}), else the
   * inventory's {@code dns.resolvers}, else the union of its subnets' {@code dns} servers, else
   * {@code system}'s.
   *
   * @throws IllegalArgumentException naming a malformed {@code address[:port]} and where it came
   *     from
   */
  public static List<InetSocketAddress> choose(
      List<String> flags, Inventory inventory, Supplier<List<InetSocketAddress>> system) {
    if (flags != null && !flags.isEmpty()) {
      return parse(flags, "--resolver");
    }
    if (inventory.dns() != null && !inventory.dns().resolvers().isEmpty()) {
      return parse(inventory.dns().resolvers(), "dns.resolvers");
    }
    Set<String> subnets = new LinkedHashSet<>();
    for (Subnet s : inventory.subnets()) {
      subnets.addAll(s.dns());
    }
    if (!subnets.isEmpty()) {
      return parse(List.copyOf(subnets), "subnets' dns");
    }
    return List.copyOf(system.get());
  }

  private static List<InetSocketAddress> parse(List<String> endpoints, String source) {
    List<InetSocketAddress> parsed = new ArrayList<>();
    for (String endpoint : endpoints) {
      try {
        parsed.add(Primary.parse(endpoint.strip(), 53));
      } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
        throw new IllegalArgumentException(
            source + ": resolver '" + endpoint + "': expected address[:port], e.g. 192.0.2.2:53",
            e);
      }
    }
    return List.copyOf(parsed);
  }

  /** The resolvers as {@code address:port}, in the order they are asked. */
  public List<String> labels() {
    return List.copyOf(labels);
  }

  @Override
  public CompletionStage<Doctor.Answer> query(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    return ask(query, 0, 0, new ArrayList<>());
  }

  private CompletableFuture<Doctor.Answer> ask(
      Message query, int server, int attempt, List<String> failures) {
    String label = labels.get(server);
    return resolvers
        .get(server)
        .sendAsync(query)
        .toCompletableFuture()
        .handle(
            (answer, error) -> {
              if (error == null) {
                int rcode = answer.getRcode();
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                  return CompletableFuture.completedFuture(
                      Doctor.Answer.of(rcode, answer.getSection(Section.ANSWER)));
                }
                failures.add(label + " answered " + Rcode.string(rcode));
                return next(query, server, failures);
              }
              if (isTimeout(error) && attempt < retries) {
                return ask(query, server, attempt + 1, failures);
              }
              failures.add(label + ": " + reason(error));
              return next(query, server, failures);
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Doctor.Answer> next(Message query, int server, List<String> failures) {
    if (server + 1 < resolvers.size()) {
      return ask(query, server + 1, 0, failures);
    }
    return CompletableFuture.completedFuture(Doctor.Answer.failed(String.join("; ", failures)));
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static boolean isTimeout(Throwable e) {
    Throwable cause = unwrap(e);
    return cause instanceof SocketTimeoutException || cause instanceof TimeoutException;
  }

  private String reason(Throwable e) {
    Throwable cause = unwrap(e);
    if (isTimeout(cause)) {
      return "no answer in "
          + seconds(timeout)
          + (retries > 0 ? " (" + (retries + 1) + " tries)" : "");
    }
    if (cause instanceof PortUnreachableException) {
      return "port unreachable (nothing listens there)";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
