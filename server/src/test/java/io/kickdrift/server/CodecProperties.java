package io.kickdrift.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.function.Function;
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
  /** A codec's decoder, which throws its own exception on a malformed datagram. */
  public interface Decoder<P> {
    P decode(ByteBuffer datagram) throws Exception;
  }

  private final Decoder<P> decoder;
  private final Function<P, ByteBuffer> encoder;
  private final Class<? extends Exception> codecError;

  protected CodecProperties(
      Decoder<P> decoder, Function<P, ByteBuffer> encoder, Class<? extends Exception> codecError) {
    this.decoder = decoder;
    this.encoder = encoder;
    this.codecError = codecError;
  }

  /**
   * Well-formed packets, across every kind the codec knows (the override is the {@code @Provide}).
   */
  protected abstract Arbitrary<P> packets();

  /** Datagrams, mostly malformed, shaped so the decoder gets past its first checks. */
  protected abstract Arbitrary<byte[]> datagrams();

  @Property(tries = 2000)
  public void decodeOfEncodeIsIdentity(@ForAll("packets") P packet) throws Exception {
    assertThat(decoder.decode(encoder.apply(packet))).isEqualTo(packet);
  }

  @Property(tries = 5000)
  public void datagramsDecodeOrFailAsCodecErrors(@ForAll("datagrams") byte[] datagram) {
    Throwable t = catchThrowable(() -> decoder.decode(ByteBuffer.wrap(datagram)));
    if (t != null) {
      assertThat(t).isInstanceOf(codecError);
      assertThat(t.getMessage()).isNotBlank();
    }
  }
}
