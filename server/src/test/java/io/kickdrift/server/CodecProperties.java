package io.kickdrift.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Optional;
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

  /**
   * A codec: its decoder, its encoder and the exception the decoder throws on a malformed datagram.
   */
  public record Codec<P>(
      Decoder<P> decoder, Function<P, ByteBuffer> encoder, Class<? extends Exception> error) {
    /**
     * The packet a datagram decodes to, checked to encode back to the same packet; empty when the
     * codec refused the datagram with its own exception, saying why. Any other exception is thrown.
     */
    public Optional<P> roundTrip(byte[] datagram) throws Exception {
      P packet;
      try {
        packet = decoder.decode(ByteBuffer.wrap(datagram));
      } catch (Exception e) {
        if (!error.isInstance(e)) {
          throw e;
        }
        assertThat(e.getMessage()).isNotBlank();
        return Optional.empty();
      }
      assertThat(decoder.decode(encoder.apply(packet))).isEqualTo(packet);
      return Optional.of(packet);
    }
  }

  private final Codec<P> codec;

  protected CodecProperties(Codec<P> codec) {
    this.codec = codec;
  }

  /**
   * Well-formed packets, across every kind the codec knows (the override is the {@code @Provide}).
   */
  protected abstract Arbitrary<P> packets();

  /** Datagrams, mostly malformed, shaped so the decoder gets past its first checks. */
  protected abstract Arbitrary<byte[]> datagrams();

  @Property(tries = 2000)
  public void decodeOfEncodeIsIdentity(@ForAll("packets") P packet) throws Exception {
    assertThat(codec.decoder().decode(codec.encoder().apply(packet))).isEqualTo(packet);
  }

  @Property(tries = 5000)
  public void datagramsDecodeOrFailAsCodecErrors(@ForAll("datagrams") byte[] datagram)
      throws Exception {
    codec.roundTrip(datagram);
  }
}
