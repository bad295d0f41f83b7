package io.kickdrift.server.tftp;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How many transfers may run at once: in total, per client address (all ports of an address are one
 * client), and how many of the total are kept for priority requests (a known machine's menu), so
 * that a flood of other requests cannot take them. Used by the server's loop thread only.
 */
final class Admission {
  /** What {@link #admit} decided. */
  enum Verdict {
    ADMITTED,
    OVER_TOTAL,
    OVER_CLIENT
  }

  /** Descriptors a transfer may hold: its socket, and the file it reads. */
  static final int DESCRIPTORS_PER_TRANSFER = 2;

  /** Descriptors always left to the rest of the process (HTTP, SQLite, logs, the JVM's jars). */
  static final int MIN_DESCRIPTOR_MARGIN = 128;

  private final int total;
  private final int perClient;
  private final int reserve;
  private final Map<InetAddress, Integer> byClient = new HashMap<>();
  private int held;

  Admission(int total, int perClient, int reserve) {
    this.total = total;
    this.perClient = perClient;
    this.reserve = reserve;
  }

  /**
   * The limits for {@code settings} in a process that may open {@code descriptorLimit} files (0 or
   * less: unknown): the total is lowered so that TFTP, at two descriptors per transfer, leaves a
   * quarter of them (at least {@value #MIN_DESCRIPTOR_MARGIN}) to everything else; the reserve is
   * at most half the total.
   */
  static Admission of(TftpServer.Settings settings, long descriptorLimit) {
    int total = settings.maxTransfers();
    if (descriptorLimit > 0) {
      long margin = Math.max(MIN_DESCRIPTOR_MARGIN, descriptorLimit / 4);
      long fit = (descriptorLimit - margin) / DESCRIPTORS_PER_TRANSFER;
      total = (int) Math.max(1, Math.min(total, fit));
    }
    return new Admission(
        total,
        Math.min(settings.maxPerClient(), total),
        Math.min(settings.priorityReserve(), total / 2));
  }

  /**
   * Takes a slot for a request from {@code client} if the limits allow it; {@code priority} is
   * asked only when the slots open to everyone are taken. An admitted request holds its slot until
   * {@link #release}.
   */
  Verdict admit(InetAddress client, BooleanSupplier priority) {
    if (byClient.getOrDefault(client, 0) >= perClient) {
      return Verdict.OVER_CLIENT;
    }
    if (held >= total || (held >= total - reserve && !priority.getAsBoolean())) {
      return Verdict.OVER_TOTAL;
    }
    held++;
    byClient.merge(client, 1, Integer::sum);
    return Verdict.ADMITTED;
  }

  /** Gives back a slot {@link #admit} gave {@code client}. */
  void release(InetAddress client) {
    held--;
    byClient.computeIfPresent(client, (a, n) -> n == 1 ? null : n - 1);
  }

  int total() {
    return total;
  }

  int perClient() {
    return perClient;
  }

  int reserve() {
    return reserve;
  }

  int held() {
    return held;
  }
}
