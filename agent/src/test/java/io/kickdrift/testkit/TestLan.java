package io.kickdrift.testkit;

import io.kickdrift.agent.cli.Cmd;
import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces joined by a bridge, for tests on TEST-NET-1 (192.0.2.0/24): the bridge {@code
 * br0} lives in the first namespace, with an address; every other namespace gets a veth to it
 * ({@link #port}). {@link #close} deletes the namespaces, which removes their veths and the bridge.
 *
 * <pre>{@code
 * TestLan lan = TestLan.create("192.0.2.1/24", "kd-lan", "kd-a", "kd-cli");
 * lan.port("kd-a", "a0", "ab", "192.0.2.10/24");
 * }</pre>
 */
public final class TestLan implements AutoCloseable {
  private final String bridgeNamespace;
  private final List<String> namespaces;

  private TestLan(String bridgeNamespace) {
    this.bridgeNamespace = bridgeNamespace;
    this.namespaces = new ArrayList<>();
  }

  /**
   * Adds {@code bridge} and {@code others} as namespaces (loopback up) and, in {@code bridge}, the
   * bridge {@code br0} with {@code bridgeCidr}. Namespaces made before a failure are deleted.
   */
  public static TestLan create(String bridgeCidr, String bridge, String... others)
      throws Exception {
    Cmd.require("ip", "iproute2");
    List<String> all = new ArrayList<>();
    all.add(bridge);
    all.addAll(List.of(others));
    TestLan lan = new TestLan(bridge);
    try {
      for (String ns : all) {
        Cmd.ok("ip", "netns", "add", ns);
        lan.namespaces.add(ns);
        Cmd.ok("ip", "-n", ns, "link", "set", "lo", "up");
      }
      Cmd.ok("ip", "-n", bridge, "link", "add", "br0", "type", "bridge", "forward_delay", "0");
      Cmd.ok("ip", "-n", bridge, "addr", "add", bridgeCidr, "dev", "br0");
      Cmd.ok("ip", "-n", bridge, "link", "set", "br0", "up");
      return lan;
    } catch (Exception | AssertionError e) {
      lan.close();
      throw e;
    }
  }

  /**
   * A veth from {@code ns} ({@code inside}) to the bridge ({@code onBridge}), {@code cidr} or none.
   */
  public void port(String ns, String inside, String onBridge, String cidr) throws Exception {
    Cmd.ok(
        "ip",
        "link",
        "add",
        inside,
        "netns",
        ns,
        "type",
        "veth",
        "peer",
        "name",
        onBridge,
        "netns",
        bridgeNamespace);
    Cmd.ok("ip", "-n", bridgeNamespace, "link", "set", onBridge, "master", "br0");
    Cmd.ok("ip", "-n", bridgeNamespace, "link", "set", onBridge, "up");
    Cmd.ok("ip", "-n", ns, "link", "set", inside, "up");
    if (cidr != null) {
      Cmd.ok("ip", "-n", ns, "addr", "add", cidr, "dev", inside);
    }
  }

  /** {@code command} to run in namespace {@code ns}. */
  public static List<String> in(String ns, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return cmd;
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      try {
        Cmd.run(List.of("ip", "netns", "del", ns));
      } catch (Exception e) {
        // best effort on the way out; the next namespace still goes
      }
    }
    namespaces.clear();
  }
}
