package io.kickdrift.server.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootSourceTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 4000);

  @TempDir Path dir;

  private static String read(TftpContent c) throws Exception {
    ByteBuffer b = ByteBuffer.allocate((int) c.size());
    while (b.hasRemaining() && c.read(b.position(), b) >= 0) {}
    return new String(b.array(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aRootSymlinkSwappedAtomicallyIsSeenOnTheNextRequest() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("gen1")).resolve("menu"), "one");
    Files.writeString(Files.createDirectories(dir.resolve("gen2")).resolve("menu"), "two");
    Path current = dir.resolve("current");
    Files.createSymbolicLink(current, dir.resolve("gen1"));
    RootSource source = new RootSource(current);
    try (TftpContent c = source.open("menu", CLIENT).orElseThrow()) {
      assertThat(read(c)).isEqualTo("one");
    }
    Path next = dir.resolve("next");
    Files.createSymbolicLink(next, dir.resolve("gen2"));
    Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (TftpContent c = source.open("/menu", CLIENT).orElseThrow()) {
      assertThat(read(c)).isEqualTo("two");
    }
  }

  @Test
  void refusals() throws Exception {
    RootSource source = new RootSource(Files.createDirectories(dir.resolve("root")));
    for (String path : new String[] {"..", "../x", "a/../../x", "a/..", "//abs", "a\\..\\x"}) {
      assertThatThrownBy(() -> source.open(path, CLIENT))
          .as(path)
          .isInstanceOf(TftpRefusedException.class);
    }
    assertThat(source.open("missing", CLIENT)).isEmpty();
    assertThat(source.open("/", CLIENT)).isEmpty();
  }

  @Test
  void inMemoryContent() throws Exception {
    TftpContent c = TftpContent.of("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(c.size()).isEqualTo(5);
    assertThat(read(c)).isEqualTo("hello");
    assertThat(c.read(5, ByteBuffer.allocate(1))).isEqualTo(-1);
  }
}
