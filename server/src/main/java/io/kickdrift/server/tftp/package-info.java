/**
 * A read-only TFTP server for PXE boot: {@link io.kickdrift.server.tftp.TftpPacket} is the pure
 * codec, {@link io.kickdrift.server.tftp.TftpServer} the event loop around it, and {@link
 * io.kickdrift.server.tftp.TftpSource} what it serves (see docs/tftp.md).
 */
package io.kickdrift.server.tftp;
