package io.kickdrift.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kickdrift.server.Mutations;
import io.kickdrift.server.guard.PlainWords;
import io.kickdrift.server.render.InstallTokens;
import io.kickdrift.server.render.Models;
import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import io.kickdrift.server.render.TreeRenderer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the text, loading either returns an inventory or throws {@link InventoryException} whose
 * every problem starts {@code file:line:column: } with a line inside the text; and an inventory
 * that loads renders, or fails with a {@link RenderException} that says why.
 */
class InventoryLoaderPropertiesTest {
  private static final String EXAMPLE = Mutations.seed(InventoryLoaderTest.EXAMPLE);

  private static final String NOISE = ":-[]{}#&*!|>'\"%@`, \n\t?~0aZ.";

  /** Inventories of a few hosts whose names, MACs, IPs and profiles may clash or be malformed. */
  Arbitrary<String> generated() {
    Arbitrary<String> mac =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.of(
                    "aa:bb:cc:dd:ee:%02x",
                    "AA-BB-CC-DD-EE-%02X",
                    "aabb.ccdd.ee%02x",
                    "aabbccddee%02x",
                    "aa:bb:cc:dd:%02x",
                    "zz:bb:cc:dd:ee:%02x"))
            .as((n, format) -> "\"" + String.format(Locale.ROOT, format, n) + "\"");
    Arbitrary<String> ip =
        Arbitraries.of("192.0.2.1", "192.0.2.2", "192.0.2.130", "198.51.100.1", "192.0.2.999");
    Arbitrary<String> host =
        Combinators.combine(
                Arbitraries.of("a", "b", "c", "A", "b.example.com", "bad_name"),
                Arbitraries.of("base", "web", "nope"),
                mac,
                ip)
            .as(
                (name, profile, m, i) ->
                    "  - name: "
                        + name
                        + "\n    profile: "
                        + profile
                        + "\n    interfaces:\n      - mac: "
                        + m
                        + "\n        ip: "
                        + i
                        + "\n");
    Arbitrary<String> parent = Arbitraries.of("base", "web", "nope", "");
    return Combinators.combine(host.list().ofMaxSize(6), parent)
        .as(
            (hosts, p) ->
                "distros:\n  - {name: r9, family: rocky, version: '9', kernel: k, initrd: i,"
                    + " install-tree: 'http://t/'}\nsubnets:\n  - network: 192.0.2.0/25\n    next-server: 192.0.2.10\n"
                    + "profiles:\n  - name: base\n    distro: r9\n"
                    + (p.isEmpty() ? "" : "    parent: " + p + "\n")
                    + "  - name: web\n    parent: base\nhosts:"
                    + (hosts.isEmpty() ? " []\n" : "\n" + String.join("", hosts)));
  }

  /** The example with mutations, generated inventories, and noise, 10:5:3. */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Mutations.of(EXAMPLE, NOISE, 40, 6)),
        Tuple.of(5, generated()),
        Tuple.of(3, Arbitraries.strings().withChars(NOISE + "hostsdistros").ofMaxLength(80)));
  }

  @Property(tries = 1800)
  void anyTextLoadsOrFailsWithPositions(@ForAll("texts") String text) {
    loadsOrFailsWithPositions(text);
  }

  private static final InstallTokens TOKENS = host -> java.util.Optional.of("0".repeat(32));
  private static final Templates TEMPLATES;

  static {
    try {
      TEMPLATES = new Templates(null);
    } catch (RenderException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A loaded inventory renders, or fails with a RenderException that says why; nothing else. */
  private static void rendersOrFailsWithAMessage(String text) {
    Throwable thrown =
        catchThrowable(
            () ->
                new TreeRenderer(TEMPLATES)
                    .render(
                        Models.site(
                            InventoryLoader.parseYaml("inv.yaml", text), "inv.yaml", TOKENS)));
    Statistics.label("render").collect(thrown == null ? "rendered" : "render refused");
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(RenderException.class);
      assertThat(thrown.getMessage()).isNotBlank();
    }
  }

  private static void loadsOrFailsWithPositions(String text) {
    Throwable thrown = catchThrowable(() -> InventoryLoader.parseYaml("inv.yaml", text));
    Statistics.label("outcome")
        .collect(
            thrown == null
                ? "loaded"
                : thrown instanceof InventoryException e && e.problems().get(0).contains("(syntax)")
                    ? "syntax error"
                    : "rejected");
    if (thrown == null) {
      rendersOrFailsWithAMessage(text);
      return;
    }
    assertThat(thrown).isInstanceOf(InventoryException.class);
    int lines = Math.max(1, text.split("\n", -1).length);
    List<String> bad = new ArrayList<>();
    for (String problem : ((InventoryException) thrown).problems()) {
      var m = java.util.regex.Pattern.compile("inv\\.yaml:(\\d+):(\\d+): \\S.*").matcher(problem);
      if (!m.matches()
          || Integer.parseInt(m.group(1)) > lines + 1
          || !PlainWords.jargonIn(problem).isEmpty()) {
        bad.add(problem);
      }
    }
    assertThat(bad).as("problems without a position inside the text, or in jargon").isEmpty();
    assertThat(((InventoryException) thrown).problems()).isNotEmpty();
  }

  /** Every code point of the kinds no value may hold: Cc, Zl, Zp, Cf, Cs, and U+FFFE/U+FFFF. */
  private static final List<Integer> INVISIBLE =
      java.util.stream.IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
          .filter(
              c ->
                  switch (Character.getType(c)) {
                    case Character.CONTROL,
                        Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR,
                        Character.FORMAT,
                        Character.SURROGATE ->
                        true;
                    default -> (c & 0xfffe) == 0xfffe;
                  })
          .boxed()
          .toList();

  @Provide
  Arbitrary<String> invisibleInAField() {
    Arbitrary<String> field = Arbitraries.of(List.copyOf(HostileInventories.FIELDS.keySet()));
    return Combinators.combine(
            field, Arbitraries.of(INVISIBLE), Arbitraries.integers().between(0, 1000))
        .as(
            (f, c, at) -> {
              String value = HostileInventories.FIELDS.get(f);
              int cut = at % (value.length() + 1);
              String hostile =
                  value.substring(0, cut) + Character.toString(c) + value.substring(cut);
              return f + "\u0000" + HostileInventories.inventory(f, hostile);
            })
        .filter(t -> !t.startsWith("profiles[0].partitioning\u0000") || !t.contains("\\u000a"));
  }

  /**
   * Issue 16, defects 3 and 8: a line break, separator, control or format character in any string
   * field of a valid inventory is refused with a message at the field, whatever the character and
   * wherever it is in the value (partitioning alone takes line breaks: one storage command each).
   */
  @Property(tries = 1000)
  void anInvisibleCharacterInAnyStringFieldIsRefusedAtTheField(
      @ForAll("invisibleInAField") String fieldAndText) {
    int nul = fieldAndText.indexOf('\u0000');
    String field = fieldAndText.substring(0, nul);
    String text = fieldAndText.substring(nul + 1);

    Throwable thrown = catchThrowable(() -> InventoryLoader.parseYaml("inv.yaml", text));

    assertThat(thrown).isInstanceOf(InventoryException.class);
    assertThat(((InventoryException) thrown).problems())
        .allSatisfy(p -> assertThat(p).matches("inv\\.yaml:\\d+:\\d+: \\S.*"))
        .anySatisfy(p -> assertThat(p).contains(field + ": "));
  }

  @Provide
  Arbitrary<byte[]> bytesInserted() {
    byte[] example = EXAMPLE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(
            Arbitraries.integers().between(0, example.length).list().ofMinSize(1).ofMaxSize(4),
            noise.list().ofSize(4))
        .as(
            (ats, inserts) -> {
              byte[] text = example;
              for (int i = 0; i < ats.size(); i++) {
                int at = Math.min(ats.get(i), text.length);
                byte[] insert = inserts.get(i);
                byte[] out = new byte[text.length + insert.length];
                System.arraycopy(text, 0, out, 0, at);
                System.arraycopy(insert, 0, out, at, insert.length);
                System.arraycopy(text, at, out, at + insert.length, text.length - at);
                text = out;
              }
              return text;
            });
  }

  /**
   * Random bytes in a valid file (invalid UTF-8 among them): it loads, or is refused with every
   * problem at a line of the file; nothing else is thrown.
   */
  @Property(tries = 1000)
  void randomBytesLoadOrFailWithPositions(@ForAll("bytesInserted") byte[] bytes) {
    Throwable thrown =
        catchThrowable(
            () -> InventoryLoader.parse("inv.yaml", bytes, false, w -> {}, ReadLimits.DEFAULT));
    Statistics.label("outcome")
        .collect(
            thrown == null
                ? "loaded"
                : thrown.getMessage().contains("invalid UTF-8") ? "not UTF-8" : "refused");
    if (thrown == null) {
      return;
    }
    assertThat(thrown).isInstanceOf(InventoryException.class);
    long lines = 1;
    for (byte b : bytes) {
      lines += b == '\n' || b == '\r' ? 1 : 0;
    }
    for (String problem : ((InventoryException) thrown).problems()) {
      var m = java.util.regex.Pattern.compile("inv\\.yaml:(\\d+):(\\d+): \\S.*").matcher(problem);
      assertThat(m.matches()).as(problem).isTrue();
      assertThat(Long.parseLong(m.group(1))).as(problem).isBetween(1L, lines + 1);
    }
  }
}
