package io.kickdrift.server.tftp;

import io.kickdrift.server.CodecProperties;
import io.kickdrift.server.tftp.TftpPacket.Option;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;

/** Every packet survives encode then decode; random bytes only ever fail as TftpCodecException. */
class TftpPacketPropertiesTest extends CodecProperties<TftpPacket> {
  /** The codec, for the fuzz test too. */
  static final Codec<TftpPacket> CODEC =
      new Codec<>(TftpPacket::decode, TftpPacket::encode, TftpCodecException.class);

  TftpPacketPropertiesTest() {
    super(CODEC);
  }

  @Override
  @Provide
  protected Arbitrary<byte[]> datagrams() {
    // Small opcodes and NULs often, so the decoders get past the first checks.
    Arbitrary<Byte> any = Arbitraries.bytes();
    Arbitrary<Byte> likely = Arbitraries.of((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 'a');
    Arbitrary<Byte> b =
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, any), net.jqwik.api.Tuple.of(2, likely));
    Arbitrary<byte[]> tail = b.array(byte[].class).ofMaxSize(40);
    Arbitrary<Integer> opcode = Arbitraries.integers().between(0, 8);
    return Combinators.combine(opcode, tail)
        .as(
            (op, t) -> {
              byte[] out = new byte[t.length + 2];
              out[1] = (byte) (int) op;
              System.arraycopy(t, 0, out, 2, t.length);
              return out;
            })
        .injectDuplicates(0.05)
        .edgeCases(c -> c.add(new byte[0]));
  }

  @Override
  @Provide
  protected Arbitrary<TftpPacket> packets() {
    Arbitrary<String> name =
        Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> value =
        Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMaxLength(12);
    Arbitrary<String> filename =
        Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMinLength(1).ofMaxLength(30);
    Arbitrary<List<Option>> options =
        Combinators.combine(name, value).as(Option::new).list().ofMaxSize(5);
    Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 65535);
    return Arbitraries.oneOf(
        Combinators.combine(filename, name, options).as(TftpPacket.ReadRequest::new),
        Combinators.combine(filename, name, options).as(TftpPacket.WriteRequest::new),
        Combinators.combine(u16, Arbitraries.bytes().array(byte[].class).ofMaxSize(600))
            .as(TftpPacket.Data::new),
        u16.map(TftpPacket.Ack::new),
        Combinators.combine(u16, filename.injectNull(0).map(s -> s.substring(1)))
            .as(TftpPacket.Error::new),
        options.map(TftpPacket.OptionAck::new));
  }
}
