package io.kickdrift.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * What every wire codec (DHCP, TFTP) promises: a packet survives encode then decode, and any
 * datagram decodes or fails with the codec's own exception, saying why. A codec's test extends this
 * with its packets and datagrams.
 *
 * @param <P> the codec's packet type
 */
public abstract class CodecProperties<P> {
  /** The codec's decoder, which throws {@link #codecError()} on a malformed datagram. */
  protected abstract P decode(ByteBuffer datagram) throws Exception;

  protected abstract ByteBuffer encode(P packet);

  protected abstract Class<? extends Exception> codecError();

  /**
   * Well-formed packets, across every kind the codec knows (the override is the {@code @Provide}).
   */
  protected abstract Arbitrary<P> packets();

  /** Datagrams, mostly malformed, shaped so the decoder gets past its first checks. */
  protected abstract Arbitrary<byte[]> datagrams();

  @Property(tries = 2000)
  public void decodeOfEncodeIsIdentity(@ForAll("packets") P packet) throws Exception {
    assertThat(decode(encode(packet))).isEqualTo(packet);
  }

  @Property(tries = 5000)
  public void datagramsDecodeOrFailAsCodecErrors(@ForAll("datagrams") byte[] datagram) {
    Throwable t = catchThrowable(() -> decode(ByteBuffer.wrap(datagram)));
    if (t != null) {
      assertThat(t).isInstanceOf(codecError());
      assertThat(t.getMessage()).isNotBlank();
    }
  }
}
