package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.kickdrift.server.tftp.TftpPacket.Ack;
import io.kickdrift.server.tftp.TftpPacket.Data;
import io.kickdrift.server.tftp.TftpPacket.Option;
import io.kickdrift.server.tftp.TftpPacket.OptionAck;
import io.kickdrift.server.tftp.TftpPacket.ReadRequest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server against a raw client: correct transfers, and hostile input that must not hurt it. */
class TftpServerTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  @TempDir Path dir;
  Path root;
  byte[] small;
  final Queue<String> log = new ConcurrentLinkedQueue<>();
  TftpServer server;
  InetSocketAddress at;
  RawClient client;

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    small = random(1300, 1);
    Files.write(root.resolve("small"), small);
    Files.createDirectories(root.resolve("pxelinux.cfg"));
    Files.writeString(root.resolve("pxelinux.cfg/default"), "default menu\n");
    Files.writeString(dir.resolve("secret"), "secret\n");
    server = new TftpServer(new RootSource(root), settings(Duration.ofMillis(300), 3), log::add);
    at = server.start(LOOPBACK);
    client = new RawClient(LOOPBACK);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static TftpServer.Settings settings(Duration timeout, int retries) {
    return new TftpServer.Settings(timeout, retries, TftpPacket.MAX_BLOCK_SIZE, 64, 2048, 8, 64);
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<Option> opts(String... nameValue) {
    var out = new java.util.ArrayList<Option>();
    for (int i = 0; i < nameValue.length; i += 2) {
      out.add(new Option(nameValue[i], nameValue[i + 1]));
    }
    return out;
  }

  /** The server logs a transfer after it counts it: wait for the line, as for the stats. */
  private void awaitLog(java.util.function.Predicate<String> line) throws Exception {
    long until = System.nanoTime() + 5_000_000_000L;
    while (log.stream().noneMatch(line) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(log).anyMatch(line);
  }

  private void awaitStats(java.util.function.Predicate<TftpServer.Stats> done) throws Exception {
    long until = System.nanoTime() + 5_000_000_000L;
    while (!done.test(server.stats()) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(done.test(server.stats())).as("stats %s", server.stats()).isTrue();
  }

  @Test
  void plainReadRequestWithoutOptions() throws Exception {
    assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
    assertThat(client.get("/pxelinux.cfg/default", at, List.of(), 1))
        .asString()
        .isEqualTo("default menu\n");
    awaitStats(s -> s.completed() == 2 && s.active() == 0);
    awaitLog(l -> l.matches("tftp 127\\.0\\.0\\.1:\\d+ RRQ small: sent 1300 bytes in \\d+ ms"));
  }

  @Test
  void oackCarriesTheNegotiatedOptionsInTheClientsOrder() throws Exception {
    client.send(
        new ReadRequest(
            "small", "octet", opts("TSIZE", "0", "blksize", "1428", "windowsize", "4", "foo", "1")),
        at);
    RawClient.Received r = client.receive();
    assertThat(r.packet())
        .isEqualTo(new OptionAck(opts("TSIZE", "1300", "blksize", "1428", "windowsize", "4")));
    assertThat(r.from().getPort()).as("a new TID").isNotEqualTo(at.getPort());
    client.send(new Ack(0), r.from());
    assertThat(client.receive().packet()).isEqualTo(new Data(1, small));
    client.send(new Ack(1), r.from());
    awaitStats(s -> s.completed() == 1);
    awaitLog(
        l ->
            l.contains(
                "RRQ small tsize=1300 blksize=1428 windowsize=4 ignored[foo: unknown]: sent 1300 bytes"));
  }

  @Test
  void windowOfBlocksWithResendFromAnEarlierAck() throws Exception {
    byte[] file = random(512 * 10, 2);
    Files.write(root.resolve("ten"), file);
    client.send(new ReadRequest("ten", "octet", opts("windowsize", "4")), at);
    RawClient.Received oack = client.receive();
    client.send(new Ack(0), oack.from());
    for (int b = 1; b <= 4; b++) {
      assertThat(((Data) client.receive().packet()).block()).isEqualTo(b);
    }
    // Pretend block 3 was lost: ACK 2 means "resend from 3".
    client.send(new Ack(2), oack.from());
    for (int b = 3; b <= 6; b++) {
      assertThat(((Data) client.receive().packet()).block()).isEqualTo(b);
    }
    client.send(new Ack(6), oack.from());
    for (int b = 7; b <= 10; b++) {
      assertThat(((Data) client.receive().packet()).block()).isEqualTo(b);
    }
    client.send(new Ack(10), oack.from());
    assertThat(((Data) client.receive().packet()).bytes()).isEmpty(); // 11: the empty last block
    client.send(new Ack(11), oack.from());
    awaitStats(s -> s.completed() == 1);
  }

  @Test
  void blockNumbersRollOverPast65535() throws Exception {
    byte[] file = random(8 * 65536 + 3, 3);
    Files.write(root.resolve("big"), file);
    assertThat(client.get("big", at, opts("blksize", "8", "windowsize", "64"), 64))
        .containsExactly(file);
    awaitStats(s -> s.completed() == 1);
  }

  @Test
  void traversalIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("escape"), dir.resolve("secret"));
    Files.createSymbolicLink(root.resolve("up"), dir);
    for (String path :
        List.of(
            "../secret",
            "a/../../secret",
            "//etc/passwd",
            "escape",
            "up/secret",
            "pxelinux.cfg/../../secret")) {
      assertThat(client.expectError(new ReadRequest(path, "octet"), at).code())
          .as(path)
          .isEqualTo(2);
    }
    // One leading slash is stripped, so this is root/etc/passwd: not there.
    assertThat(client.expectError(new ReadRequest("/etc/passwd", "octet"), at).code()).isEqualTo(1);
    assertThat(client.expectError(new ReadRequest("pxelinux.cfg", "octet"), at).code())
        .isEqualTo(1);
    assertThat(server.stats().refused()).isEqualTo(6);
    awaitLog(
        l -> l.matches("tftp 127\\.0\\.0\\.1:\\d+ refused \\.\\./secret: outside the served root"));
  }

  @Test
  void aSymlinkInsideTheRootIsServed() throws Exception {
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("small"));
    assertThat(client.get("alias", at, List.of(), 1)).containsExactly(small);
  }

  @Test
  void writeRequestsAndOtherModesAreRefused() throws Exception {
    var wrq = client.expectError(new TftpPacket.WriteRequest("small", "octet", List.of()), at);
    assertThat(wrq.code()).isEqualTo(2);
    assertThat(client.expectError(new ReadRequest("small", "mail"), at).code()).isEqualTo(4);
    assertThat(Files.readAllBytes(root.resolve("small"))).containsExactly(small);
  }

  @Test
  void malformedAndUnknownPacketsGetErrorsAndServingGoesOn() throws Exception {
    for (byte[] junk :
        List.of(
            new byte[] {0},
            new byte[] {0, 1, 'f'},
            new byte[] {0, 1, 'f', 0},
            new byte[] {0, 42, 1, 2})) {
      client.sendRaw(junk, at);
      var r = client.receive().packet();
      assertThat(r).isInstanceOf(TftpPacket.Error.class);
      assertThat(((TftpPacket.Error) r).code()).isEqualTo(4);
    }
    client.send(new Ack(1), at); // a stray ACK on the request port: dropped, no answer
    assertThat(client.poll(200)).isNull();
    assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
    assertThat(server.stats().dropped()).isEqualTo(5);
    awaitLog(l -> l.contains("malformed request dropped: unknown opcode 42"));
  }

  @Test
  void absurdOptionsAreIgnoredOrClamped() throws Exception {
    // Only ignored options: no OACK at all, plain 512-byte blocks.
    client.send(
        new ReadRequest("small", "octet", opts("blksize", "0", "windowsize", "0", "timeout", "0")),
        at);
    RawClient.Received r = client.receive();
    assertThat(r.packet()).isEqualTo(new Data(1, java.util.Arrays.copyOf(small, 512)));
    client.send(new TftpPacket.Error(0, "enough"), r.from());

    client.send(
        new ReadRequest(
            "small",
            "octet",
            opts(
                "blksize",
                "999999",
                "windowsize",
                "99999999999999999999999",
                "tsize",
                "x",
                "blksize",
                "9")),
        at);
    r = client.receive();
    assertThat(r.packet()).isEqualTo(new OptionAck(opts("blksize", "65464", "windowsize", "64")));
    client.send(new TftpPacket.Error(8, "no thanks"), r.from());

    client.send(new ReadRequest("small", "octet", opts("blksize", "abc", "blksize", "1428")), at);
    r = client.receive();
    assertThat(r.packet()).isEqualTo(new Data(1, java.util.Arrays.copyOf(small, 512)));
    client.send(new TftpPacket.Error(0, "enough"), r.from());

    awaitStats(s -> s.aborted() == 3 && s.active() == 0);
  }

  @Test
  void aClientThatStopsAckingIsGivenUpWhileOthersAreServed() throws Exception {
    server.close();
    server = new TftpServer(new RootSource(root), settings(Duration.ofMillis(100), 3), log::add);
    at = server.start(LOOPBACK);
    try (RawClient silent = new RawClient(LOOPBACK)) {
      silent.send(new ReadRequest("small", "octet"), at);
      // Others are served meanwhile.
      for (int i = 0; i < 3; i++) {
        assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
      }
      int data = 0;
      TftpPacket last = null;
      RawClient.Received r;
      while ((r = silent.poll(3000)) != null) {
        last = r.packet();
        if (last instanceof Data) {
          data++;
        } else {
          break;
        }
      }
      assertThat(data).as("first send and 3 retries").isEqualTo(4);
      assertThat(last).isInstanceOf(TftpPacket.Error.class);
    }
    awaitStats(s -> s.failed() == 1 && s.completed() == 3 && s.active() == 0);
    awaitLog(l -> l.contains("RRQ small: no ACK after 3 retries, at block 1"));
  }

  @Test
  void duplicateAcksDoNotMultiplyData() throws Exception {
    server.close();
    server = new TftpServer(new RootSource(root), settings(Duration.ofSeconds(2), 3), log::add);
    at = server.start(LOOPBACK);
    byte[] file = random(512 * 3 + 1, 4);
    Files.write(root.resolve("three"), file);
    client.send(new ReadRequest("three", "octet"), at);
    RawClient.Received first = client.receive();
    assertThat(((Data) first.packet()).block()).isEqualTo(1);
    for (int i = 0; i < 200; i++) {
      client.send(new Ack(1), first.from());
    }
    client.send(new Ack(0), first.from());
    client.send(new Ack(3), first.from()); // not sent yet: ignored too
    assertThat(((Data) client.receive().packet()).block()).isEqualTo(2);
    assertThat(client.poll(300)).as("one DATA per new ACK, no storm").isNull();
    client.send(new Ack(2), first.from());
    assertThat(((Data) client.receive().packet()).block()).isEqualTo(3);
    client.send(new Ack(3), first.from());
    assertThat(((Data) client.receive().packet()).block()).isEqualTo(4);
    client.send(new Ack(4), first.from());
    awaitStats(s -> s.completed() == 1 && s.duplicateAcks() == 201);
  }

  @Test
  void aWrongTidGetsError5AndTheTransferGoesOn() throws Exception {
    client.send(new ReadRequest("small", "octet"), at);
    RawClient.Received first = client.receive();
    try (RawClient intruder = new RawClient(LOOPBACK)) {
      intruder.send(new Ack(1), first.from());
      assertThat(intruder.receive().packet()).isEqualTo(new TftpPacket.Error(5, "unknown TID"));
    }
    assertThat(client.poll(100)).as("the intruder's ACK moved nothing").isNull();
    client.sendRaw(new byte[] {0, 4, 0}, first.from()); // malformed on the transfer: dropped
    client.send(new Ack(1), first.from());
    assertThat(((Data) client.receive().packet()).block()).isEqualTo(2);
    client.send(new Ack(2), first.from());
    assertThat(((Data) client.receive().packet()).block()).isEqualTo(3);
    client.send(new Ack(3), first.from());
    awaitStats(s -> s.completed() == 1 && s.wrongTid() == 1 && s.dropped() == 1);
  }

  @Test
  void servesOverIpv6() throws Exception {
    try (TftpServer v6 =
            new TftpServer(new RootSource(root), settings(Duration.ofMillis(300), 3), log::add);
        RawClient c6 = new RawClient(new InetSocketAddress("::1", 0))) {
      InetSocketAddress at6 = v6.start(new InetSocketAddress("::1", 0));
      assertThat(c6.get("small", at6, opts("blksize", "1428"), 1)).containsExactly(small);
      // The transfer is counted before its log line is written: wait for the line itself.
      long until = System.nanoTime() + 5_000_000_000L;
      while (log.stream().noneMatch(l -> l.startsWith("tftp [0:0:0:0:0:0:0:1]:"))
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(v6.stats().completed()).isEqualTo(1);
      awaitLog(l -> l.startsWith("tftp [0:0:0:0:0:0:0:1]:"));
    }
  }

  @Test
  void aNameLongerThanAnyFileIsNotFoundAndLoggedShort() throws Exception {
    String name = "a".repeat(65_000);
    assertThat(client.expectError(new ReadRequest(name, "octet"), at).code()).isEqualTo(1);
    awaitStats(s -> s.notFound() == 1);
    awaitLog(l -> l.contains("RRQ aaaa") && l.contains("file not found"));
    assertThat(log).allSatisfy(l -> assertThat(l).hasSizeLessThan(1000));
  }

  @Test
  void aSourceThatThrowsOnLongNamesIsNeverAskedForOne() throws Exception {
    server.close();
    RootSource files = new RootSource(root);
    // as a source that hands the name to the OS would: ENAMETOOLONG
    TftpSource picky =
        (path, from) -> {
          if (path.length() > 4096
              || java.util.Arrays.stream(path.split("/")).anyMatch(s -> s.length() > 255)) {
            throw new java.nio.file.FileSystemException(path, null, "File name too long");
          }
          return files.open(path, from);
        };
    server = new TftpServer(picky, settings(Duration.ofMillis(300), 3), log::add);
    at = server.start(LOOPBACK);
    for (String name : List.of("b".repeat(4097), "c/".repeat(100) + "d".repeat(256))) {
      assertThat(client.expectError(new ReadRequest(name, "octet"), at).code())
          .as("%s...", name.substring(0, 10))
          .isEqualTo(1);
    }
    assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
    awaitStats(s -> s.notFound() == 2 && s.failed() == 0 && s.completed() == 1);
  }

  @Test
  void clientTextInTheLogCannotForgeLines() throws Exception {
    String forged = "\ntftp 10.0.0.9:69 RRQ pxelinux.0: sent 42 bytes in 1 ms";
    client.expectError(new ReadRequest("x" + forged, "octet"), at);
    client.expectError(new ReadRequest("small", "mail" + forged), at);
    client.expectError(new TftpPacket.WriteRequest("w" + forged, "octet", List.of()), at);
    client.send(new ReadRequest("small", "octet", opts("blksize", "1428", "o" + forged, "1")), at);
    RawClient.Received r = client.receive();
    client.send(new TftpPacket.Error(0, "bye" + forged), r.from());
    awaitStats(s -> s.aborted() == 1 && s.notFound() == 1 && s.refused() == 2);
    // the counter moves before the transfer's line is written: wait for the line itself
    java.util.function.Predicate<String> quoted = l -> l.contains("\\x0atftp 10.0.0.9");
    long until = System.nanoTime() + 5_000_000_000L;
    while (log.stream().filter(quoted).count() < 4 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(log).noneMatch(l -> l.contains("\n") || l.contains("\r"));
    assertThat(log).filteredOn(quoted).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void aHugeOptionNameGetsAnErrorAndServingGoesOn() throws Exception {
    // RRQ small octet, then one option name of 65,470 bytes with no value: the decoder's message
    // names the option, and once overflowed the reply buffer, killing the server's loop.
    var packet = java.nio.ByteBuffer.allocate(2 + 6 + 6 + 65_470 + 1);
    packet
        .putShort((short) 1)
        .put("small\0octet\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    packet
        .put("x".repeat(65_470).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .put((byte) 0);
    client.sendRaw(packet.array(), at);
    TftpPacket.Error e = (TftpPacket.Error) client.receive().packet();
    assertThat(e.code()).isEqualTo(4);
    assertThat(e.message()).hasSizeLessThan(1000);
    assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
    assertThat(log).allSatisfy(l -> assertThat(l).hasSizeLessThan(1000));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 64})
  void aClientAckingEveryBlockPullsAtMostAQuarterMoreThanTheFile(int window) throws Exception {
    byte[] file = random(200 << 10, 5);
    Files.write(root.resolve("big"), file);
    long received = client.pullAckingEveryBlock("big", at, window, 500);
    long bound = file.length * 5L / 4 + window * 512L;
    assertThat(received).as("bytes received, bound %d", bound).isLessThanOrEqualTo(bound);
    awaitStats(s -> s.completed() == 1 && s.active() == 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 64})
  void aLostBlockIsResentWithoutWaitingForTheTimeout(int window) throws Exception {
    server.close();
    server = new TftpServer(new RootSource(root), settings(Duration.ofSeconds(3), 3), log::add);
    at = server.start(LOOPBACK);
    byte[] file = random(512 * 300 + 17, 6);
    Files.write(root.resolve("lossy"), file);
    for (long lose : List.of(1L, 5L, 40L, 150L)) {
      long started = System.nanoTime();
      assertThat(client.getLosingOnce("lossy", at, window, lose)).containsExactly(file);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("block %d lost: recovered before the 3 s timeout", lose)
          .isLessThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void runningOutOfFileDescriptorsAnswersBusy() throws Exception {
    server.close();
    TftpSource exhausted =
        (path, from) -> {
          throw new java.nio.file.FileSystemException(path, null, "Too many open files");
        };
    server = new TftpServer(exhausted, settings(Duration.ofMillis(300), 3), log::add);
    at = server.start(LOOPBACK);
    TftpPacket.Error e = client.expectError(new ReadRequest("small", "octet"), at);
    assertThat(e.code()).isZero();
    assertThat(e.message()).contains("busy");
  }

  /** A transfer started from {@code client} and left unacknowledged; {@code tid} is its socket. */
  private record Held(RawClient client, InetSocketAddress tid) {}

  private Held hold(String from, String file) throws Exception {
    RawClient c = new RawClient(new InetSocketAddress(from, 0));
    c.send(new ReadRequest(file, "octet"), at);
    RawClient.Received r = c.receive();
    assertThat(r.packet()).as("%s from %s; log %s", file, from, log).isInstanceOf(Data.class);
    return new Held(c, r.from());
  }

  @Test
  void transfersAreCappedPerClientAddressAndInTotalWithAReserveForPriority() throws Exception {
    server.close();
    RootSource files = new RootSource(root);
    TftpSource menus =
        new TftpSource() {
          @Override
          public java.util.Optional<TftpContent> open(String path, InetSocketAddress from)
              throws java.io.IOException {
            return files.open(path, from);
          }

          @Override
          public boolean priority(String path, InetSocketAddress from) {
            return path.startsWith("pxelinux.cfg/");
          }
        };
    // 4 in all, 2 per address, 1 kept for priority; limits as given (descriptor limit unknown)
    server =
        new TftpServer(menus, settings(Duration.ofSeconds(5), 3).withLimits(4, 2, 1), log::add, 0);
    at = server.start(LOOPBACK);
    TftpPacket.Error busy = new TftpPacket.Error(0, TftpServer.BUSY);
    List<Held> held = new java.util.ArrayList<>();
    try {
      held.add(hold("127.0.0.2", "small"));
      held.add(hold("127.0.0.2", "small"));
      // another port of the same address is the same client
      try (RawClient third = new RawClient(new InetSocketAddress("127.0.0.2", 0))) {
        assertThat(third.expectError(new ReadRequest("small", "octet"), at)).isEqualTo(busy);
      }
      // a request that ends at once (missing file) gives its slot back
      try (RawClient other = new RawClient(new InetSocketAddress("127.0.0.3", 0))) {
        assertThat(other.expectError(new ReadRequest("missing", "octet"), at).code()).isOne();
      }
      held.add(hold("127.0.0.3", "small"));
      // 3 of 4 held: the last is for priority requests only
      try (RawClient other = new RawClient(new InetSocketAddress("127.0.0.4", 0))) {
        assertThat(other.expectError(new ReadRequest("small", "octet"), at)).isEqualTo(busy);
        assertThat(other.get("pxelinux.cfg/default", at, List.of(), 1))
            .asString()
            .isEqualTo("default menu\n");
      }
      // get() returns once it has sent the last ACK: the slot is free when the server has it
      awaitStats(s -> s.completed() == 1 && s.active() == 3);
      held.add(hold("127.0.0.4", "pxelinux.cfg/default"));
      try (RawClient other = new RawClient(new InetSocketAddress("127.0.0.5", 0))) {
        assertThat(other.expectError(new ReadRequest("pxelinux.cfg/default", "octet"), at))
            .as("the reserve is full too")
            .isEqualTo(busy);
      }
      assertThat(server.stats().busy()).isEqualTo(3);
      assertThat(server.stats().active()).isEqualTo(4);
      for (Held h : held) {
        h.client().send(new TftpPacket.Error(0, "enough"), h.tid());
      }
      awaitStats(s -> s.active() == 0 && s.aborted() == 4);
    } finally {
      held.forEach(h -> h.client().close());
    }
    assertThat(log)
        .filteredOn(l -> l.startsWith("tftp busy: "))
        .as("the first refusal is logged at once, the next within a second are only counted")
        .containsExactly(
            "tftp busy: refused 1 request (0 over the total, 1 over the per-client limit, 0 out of"
                + " file descriptors); 2 active of 4 (2 per client, 1 kept for known machines'"
                + " menus)");
    // the line closing the busy period comes after the last transfer has ended
    long until = System.nanoTime() + 5_000_000_000L;
    while (log.stream().noneMatch(l -> l.startsWith("tftp idle:")) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    awaitLog(
        l ->
            l.matches(
                "tftp idle: no transfer active; refused 3 requests \\(2 over the total, 1"
                    + " over the per-client limit, 0 out of file descriptors\\) while busy"
                    + " for \\d+ ms"));
    assertThat(client.get("small", at, List.of(), 1)).containsExactly(small);
  }

  @Test
  void closeReleasesTheSockets() throws Exception {
    client.send(new ReadRequest("small", "octet"), at);
    client.receive();
    server.close();
    assertThat(server.stats().active()).isZero();
    // The port is free again.
    try (var again = new java.net.DatagramSocket(at)) {
      assertThat(again.getLocalPort()).isEqualTo(at.getPort());
    }
  }
}
