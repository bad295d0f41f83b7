package io.kickdrift.server.serve;

import io.kickdrift.server.metrics.ServeMetrics;
import io.kickdrift.server.tftp.TftpServer;

/**
 * The TFTP server's own counters ({@link TftpServer.Stats}) as meters, read at each scrape: the
 * loop thread counts anyway, so a request costs nothing more.
 */
final class TftpMeters {
  private TftpMeters() {}

  static void register(ServeMetrics m, TftpServer tftp) {
    String transfers = "kickdrift.tftp.transfers";
    String help = "TFTP read requests, by how they ended";
    m.counted(transfers, "outcome", "completed", tftp, t -> t.stats().completed(), help);
    m.counted(transfers, "outcome", "failed", tftp, t -> t.stats().failed(), help);
    m.counted(transfers, "outcome", "aborted", tftp, t -> t.stats().aborted(), help);
    m.counted(transfers, "outcome", "refused", tftp, t -> t.stats().refused(), help);
    m.counted(transfers, "outcome", "not_found", tftp, t -> t.stats().notFound(), help);
    m.counted(transfers, "outcome", "busy", tftp, t -> t.stats().busy(), help);
    m.gauged(
        "kickdrift.tftp.active.transfers",
        tftp,
        t -> t.stats().active(),
        "TFTP transfers in flight now");
    String errors = "kickdrift.tftp.errors";
    String why = "TFTP packets dropped or ignored, by kind";
    m.counted(errors, "kind", "malformed", tftp, t -> t.stats().dropped(), why);
    m.counted(errors, "kind", "wrong_tid", tftp, t -> t.stats().wrongTid(), why);
    m.counted(errors, "kind", "duplicate_ack", tftp, t -> t.stats().duplicateAcks(), why);
    m.counted(errors, "kind", "resent_block", tftp, t -> t.stats().resent(), why);
  }
}
