package io.kickdrift.server.dhcp;

import io.kickdrift.server.CodecProperties;
import io.kickdrift.server.dhcp.DhcpPacket.Option;
import java.net.Inet4Address;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Every message survives encode then decode; mutated bytes only ever fail as DhcpCodecException.
 */
class DhcpPacketPropertiesTest extends CodecProperties<DhcpPacket> {
  /** The codec, for the fuzz test too. */
  static final Codec<DhcpPacket> CODEC =
      new Codec<>(DhcpPacket::decode, DhcpPacket::encode, DhcpCodecException.class);

  DhcpPacketPropertiesTest() {
    super(CODEC);
  }

  @Override
  @Provide
  protected Arbitrary<byte[]> datagrams() {
    // A valid DISCOVER, cut short and with bytes overwritten, so the option parser gets exercised.
    byte[] base = DhcpPacketTest.pxeDiscover();
    Arbitrary<Integer> length = Arbitraries.integers().between(0, base.length + 8);
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits =
        Combinators.combine(Arbitraries.integers().between(0, base.length + 7), Arbitraries.bytes())
            .as(Tuple::of)
            .list()
            .ofMaxSize(6);
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    Arbitrary<byte[]> mutated =
        Combinators.combine(length, edits)
            .as(
                (n, e) -> {
                  byte[] out = java.util.Arrays.copyOf(base, n);
                  for (var edit : e) {
                    if (edit.get1() < n && edit.get1() != 238) {
                      out[edit.get1()] = edit.get2();
                    }
                  }
                  return out;
                });
    return Arbitraries.frequencyOf(Tuple.of(4, mutated), Tuple.of(1, random));
  }

  @Override
  @Provide
  protected Arbitrary<DhcpPacket> packets() {
    Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 65535);
    Arbitrary<Inet4Address> ip =
        Arbitraries.bytes().array(byte[].class).ofSize(4).map(DhcpPacket::ipv4);
    Arbitrary<byte[]> chaddr = Arbitraries.bytes().array(byte[].class).ofSize(16);
    Arbitrary<String> sname =
        Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMaxLength(64);
    Arbitrary<String> file =
        Arbitraries.strings().withCharRange('\u0001', '\u00ff').ofMaxLength(128);
    Arbitrary<Option> option =
        Combinators.combine(
                Arbitraries.integers().between(1, 254),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(255))
            .as(Option::new);
    Arbitrary<List<Option>> options = option.list().ofMaxSize(8);
    Arbitrary<int[]> head =
        Combinators.combine(u8, u8, u8, u8, Arbitraries.integers(), u16, u16)
            .as((a, b, c, d, e, f, g) -> new int[] {a, b, c, d, e, f, g});
    Arbitrary<Inet4Address[]> addrs =
        Combinators.combine(ip, ip, ip, ip).as((a, b, c, d) -> new Inet4Address[] {a, b, c, d});
    return Combinators.combine(head, addrs, chaddr, sname, file, options)
        .as(
            (h, a, ch, s, f, o) ->
                new DhcpPacket(
                    h[0], h[1], h[2], h[3], h[4], h[5], h[6], a[0], a[1], a[2], a[3], ch, s, f, o));
  }
}
