package io.kickdrift.server.tftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A hand-driven TFTP client on a plain DatagramSocket, for hostile and exact exchanges (public for
 * serve's tests: names no TFTP client sends, such as a NUL inside or 65,000 bytes).
 */
public final class RawClient implements AutoCloseable {
  /** A packet received and who sent it (the server's transfer TID). */
  public record Received(TftpPacket packet, InetSocketAddress from) {}

  final DatagramSocket socket;

  public RawClient(InetSocketAddress bind) throws IOException {
    socket = new DatagramSocket(bind);
    socket.setSoTimeout(2000);
  }

  public void send(TftpPacket packet, InetSocketAddress to) throws IOException {
    ByteBuffer b = packet.encode();
    sendRaw(java.util.Arrays.copyOfRange(b.array(), 0, b.limit()), to);
  }

  /**
   * An RRQ for {@code name} in octet mode without options, its bytes as they are: a NUL in the name
   * ends it on the wire, as it would for any client.
   */
  public static byte[] readRequest(String name) {
    byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(2 + bytes.length + 1 + 6);
    b.putShort((short) 1).put(bytes).put((byte) 0).put("octet".getBytes()).put((byte) 0);
    return b.array();
  }

  public void sendRaw(byte[] bytes, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  public Received receive() throws IOException {
    byte[] buf = new byte[65536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.receive(p);
    return new Received(
        TftpPacket.decode(ByteBuffer.wrap(buf, 0, p.getLength())),
        (InetSocketAddress) p.getSocketAddress());
  }

  /** The next packet within {@code millis}, or null when none came. */
  public Received poll(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return receive();
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(2000);
    }
  }

  /** Sends {@code rrq} and expects one ERROR back. */
  TftpPacket.Error expectError(TftpPacket rrq, InetSocketAddress server) throws IOException {
    send(rrq, server);
    TftpPacket p = receive().packet();
    if (!(p instanceof TftpPacket.Error e)) {
      throw new AssertionError("expected ERROR, got " + p);
    }
    return e;
  }

  /**
   * Reads a whole file, acknowledging the last block of each window (RFC 7440), and returns its
   * bytes; {@code options} go in the RRQ and an OACK is acknowledged with ACK 0.
   */
  byte[] get(String file, InetSocketAddress server, List<TftpPacket.Option> options, int window)
      throws IOException {
    send(new TftpPacket.ReadRequest(file, "octet", options), server);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int blockSize = 512;
    int expected = 1;
    int inWindow = 0;
    while (true) {
      Received r = receive();
      if (r.packet() instanceof TftpPacket.OptionAck o) {
        for (TftpPacket.Option opt : o.options()) {
          if (opt.name().equalsIgnoreCase("blksize")) {
            blockSize = Integer.parseInt(opt.value());
          }
        }
        send(new TftpPacket.Ack(0), r.from());
        continue;
      }
      if (!(r.packet() instanceof TftpPacket.Data d)) {
        throw new AssertionError("expected DATA, got " + r.packet());
      }
      if (d.block() != (expected & 0xFFFF)) {
        throw new AssertionError("expected block " + (expected & 0xFFFF) + ", got " + d.block());
      }
      out.write(d.bytes());
      boolean last = d.bytes().length < blockSize;
      inWindow++;
      if (last || inWindow == window) {
        send(new TftpPacket.Ack(d.block()), r.from());
        inWindow = 0;
      }
      if (last) {
        return out.toByteArray();
      }
      expected++;
    }
  }

  /**
   * Reads a whole file the hostile way: every DATA received is acknowledged at once, in order or
   * not, duplicate or not. Returns the payload bytes received in all (copies included), counted
   * until the server has been silent for {@code quietMillis} after the last block.
   */
  long pullAckingEveryBlock(String file, InetSocketAddress server, int window, int quietMillis)
      throws IOException {
    socket.setReceiveBufferSize(8 << 20);
    send(
        new TftpPacket.ReadRequest(
            file, "octet", List.of(new TftpPacket.Option("windowsize", Integer.toString(window)))),
        server);
    long received = 0;
    int expected = 1;
    boolean done = false;
    Received r;
    while ((r = poll(done ? quietMillis : 3000)) != null) {
      if (r.packet() instanceof TftpPacket.OptionAck) {
        send(new TftpPacket.Ack(0), r.from());
      } else if (r.packet() instanceof TftpPacket.Data d) {
        received += d.bytes().length;
        send(new TftpPacket.Ack(d.block()), r.from());
        if (d.block() == (expected & 0xFFFF)) {
          expected++;
          done |= d.bytes().length < 512;
        }
      }
    }
    if (!done) {
      throw new AssertionError("transfer of " + file + " did not finish: at block " + expected);
    }
    return received;
  }

  /**
   * Reads a whole file as an RFC 7440 client on a lossy link: the first copy of block {@code lose}
   * is dropped; on the first block after the gap the client acknowledges the last block it has in
   * order, once, and discards what comes out of order until the missing block arrives.
   */
  byte[] getLosingOnce(String file, InetSocketAddress server, int window, long lose)
      throws IOException {
    send(
        new TftpPacket.ReadRequest(
            file, "octet", List.of(new TftpPacket.Option("windowsize", Integer.toString(window)))),
        server);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long expected = 1;
    int inWindow = 0;
    boolean lost = false;
    boolean gapAcked = false;
    while (true) {
      Received r = receive();
      if (r.packet() instanceof TftpPacket.OptionAck) {
        send(new TftpPacket.Ack(0), r.from());
        continue;
      }
      TftpPacket.Data d = (TftpPacket.Data) r.packet();
      if (d.block() == (lose & 0xFFFF) && !lost) {
        lost = true;
        continue;
      }
      if (d.block() != (expected & 0xFFFF)) {
        if (((d.block() - expected) & 0xFFFF) < 0x8000 && !gapAcked) {
          send(new TftpPacket.Ack((int) ((expected - 1) & 0xFFFF)), r.from());
          gapAcked = true;
          inWindow = 0;
        }
        continue;
      }
      gapAcked = false;
      out.write(d.bytes());
      expected++;
      boolean last = d.bytes().length < 512;
      if (last || ++inWindow == window) {
        send(new TftpPacket.Ack(d.block()), r.from());
        inWindow = 0;
      }
      if (last) {
        return out.toByteArray();
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
