package io.kickdrift.agent.pkgdb.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A decoded RPM header in the form rpmdb stores it (no lead, no magic): big-endian int32 index
 * count {@code il}, int32 data length {@code dl}, {@code il} 16-byte index entries {tag, type,
 * offset, count}, then {@code dl} bytes of data. Decoding checks every entry's bounds, alignment
 * and NUL terminators, so accessors fail only when a tag has an unexpected type.
 *
 * <p>Example: {@code RpmHeader.decode(blob).string(RpmTag.NAME)}.
 */
final class RpmHeader {
  /** rpm's limit on index entries (hdrchkTags). */
  static final int MAX_INDEX_ENTRIES = 0xffff;

  /** rpm's limit on the data store (HEADER_DATA_MAX, 256 MB). */
  static final int MAX_DATA_LENGTH = 0x0fffffff;

  private static final int INTRO = 8;
  private static final int ENTRY = 16;

  /** The header data types, with their element size (0: NUL-terminated strings). */
  enum Type {
    CHAR(1, 1),
    INT8(2, 1),
    INT16(3, 2),
    INT32(4, 4),
    INT64(5, 8),
    STRING(6, 0),
    BIN(7, 1),
    STRING_ARRAY(8, 0),
    I18NSTRING(9, 0);

    final int id;
    final int size;

    Type(int id, int size) {
      this.id = id;
      this.size = size;
    }

    static Optional<Type> of(int id) {
      for (Type t : values()) {
        if (t.id == id) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }

    boolean isString() {
      return size == 0;
    }
  }

  /** One index entry; {@code offset} is relative to the start of the data store. */
  record Entry(int tag, Type type, int offset, int count) {}

  private final ByteBuffer data;
  private final Map<Integer, Entry> byTag;
  private final List<Entry> entries;

  private RpmHeader(ByteBuffer data, List<Entry> entries) {
    this.data = data;
    this.entries = List.copyOf(entries);
    // A tag indexed twice (an install-time "dribble" entry after the immutable region) takes its
    // last value, as rpm's headerImport does.
    Map<Integer, Entry> m = new LinkedHashMap<>();
    for (Entry e : entries) {
      m.put(e.tag(), e);
    }
    this.byTag = m;
  }

  /** Decodes and checks a header blob; the array is not copied and must not change. */
  static RpmHeader decode(byte[] blob) throws RpmParseException {
    if (blob.length < INTRO) {
      throw new RpmParseException("truncated intro: " + blob.length + " bytes, need 8");
    }
    ByteBuffer in = ByteBuffer.wrap(blob);
    int il = in.getInt(0);
    int dl = in.getInt(4);
    if (il < 1 || il > MAX_INDEX_ENTRIES) {
      throw new RpmParseException("index count " + il + " out of range 1.." + MAX_INDEX_ENTRIES);
    }
    if (dl < 0 || dl > MAX_DATA_LENGTH) {
      throw new RpmParseException("data length " + dl + " out of range 0.." + MAX_DATA_LENGTH);
    }
    long need = INTRO + (long) ENTRY * il + dl;
    if (blob.length < need) {
      throw new RpmParseException("truncated: " + blob.length + " bytes, header needs " + need);
    }
    if (blob.length > need) {
      throw new RpmParseException(blob.length + " bytes, header needs only " + need);
    }
    int dataStart = INTRO + ENTRY * il;
    ByteBuffer data = ByteBuffer.wrap(blob, dataStart, dl).slice();
    List<Entry> entries = new ArrayList<>(il);
    for (int i = 0; i < il; i++) {
      int at = INTRO + ENTRY * i;
      entries.add(
          checkEntry(
              i, in.getInt(at), in.getInt(at + 4), in.getInt(at + 8), in.getInt(at + 12), data));
    }
    return new RpmHeader(data, entries);
  }

  private static Entry checkEntry(
      int i, int tag, int typeId, int offset, int count, ByteBuffer data) throws RpmParseException {
    String where = "index entry " + i + ": ";
    Type type =
        Type.of(typeId).orElseThrow(() -> new RpmParseException(where + "unknown type " + typeId));
    int dl = data.limit();
    if (offset < 0 || offset >= dl) {
      throw new RpmParseException(where + "offset " + offset + " beyond data length " + dl);
    }
    if (count < 1 || count > dl) {
      throw new RpmParseException(
          where + "count " + Integer.toUnsignedString(count) + " out of range");
    }
    if (type == Type.STRING && count != 1) {
      throw new RpmParseException(where + "STRING with count " + count);
    }
    if (type.isString()) {
      int pos = offset;
      for (int k = 0; k < count; k++) {
        int nul = indexOfNul(data, pos);
        if (nul < 0) {
          throw new RpmParseException(where + "string " + k + " of " + count + " lacks its NUL");
        }
        pos = nul + 1;
      }
    } else {
      if (offset % type.size != 0) {
        throw new RpmParseException(where + "offset " + offset + " not aligned for " + type);
      }
      long end = offset + (long) count * type.size;
      if (end > dl) {
        throw new RpmParseException(
            where
                + count
                + " "
                + type
                + " values at offset "
                + offset
                + " overrun data length "
                + dl);
      }
    }
    return new Entry(tag, type, offset, count);
  }

  private static int indexOfNul(ByteBuffer data, int from) {
    for (int p = from; p < data.limit(); p++) {
      if (data.get(p) == 0) {
        return p;
      }
    }
    return -1;
  }

  /** The index entries in blob order, duplicates included. */
  List<Entry> entries() {
    return entries;
  }

  boolean has(RpmTag tag) {
    return byTag.containsKey(tag.id());
  }

  /** A STRING, or the first (untranslated) value of an I18NSTRING. */
  Optional<String> string(RpmTag tag) throws RpmParseException {
    Entry e = typed(tag, Type.STRING, Type.I18NSTRING);
    return e == null ? Optional.empty() : Optional.of(strings(e).get(0));
  }

  /** A STRING_ARRAY (or I18NSTRING); empty when the tag is absent. */
  List<String> stringArray(RpmTag tag) throws RpmParseException {
    Entry e = typed(tag, Type.STRING_ARRAY, Type.I18NSTRING);
    return e == null ? List.of() : strings(e);
  }

  /** INT16 values, unsigned (file modes are 16-bit with the type bits on top). */
  int[] int16Array(RpmTag tag) throws RpmParseException {
    return ints(numbers(tag, Type.INT16));
  }

  /** INT32 values as stored (signed; callers widen to unsigned where rpm means unsigned). */
  int[] int32Array(RpmTag tag) throws RpmParseException {
    return ints(numbers(tag, Type.INT32));
  }

  long[] int64Array(RpmTag tag) throws RpmParseException {
    return numbers(tag, Type.INT64);
  }

  /** CHAR, INT8 or BIN bytes. */
  byte[] bytes(RpmTag tag) throws RpmParseException {
    Entry e = typed(tag, Type.CHAR, Type.INT8, Type.BIN);
    byte[] out = new byte[e == null ? 0 : e.count()];
    if (e != null) {
      data.get(e.offset(), out);
    }
    return out;
  }

  /** The entry of {@code tag}, of one of the {@code allowed} types; null when the tag is absent. */
  private Entry typed(RpmTag tag, Type... allowed) throws RpmParseException {
    Entry e = byTag.get(tag.id());
    if (e != null) {
      expect(e, allowed);
    }
    return e;
  }

  /** The INT16 (unsigned), INT32 or INT64 values of {@code tag}; none when the tag is absent. */
  private long[] numbers(RpmTag tag, Type type) throws RpmParseException {
    Entry e = typed(tag, type);
    long[] out = new long[e == null ? 0 : e.count()];
    for (int k = 0; k < out.length; k++) {
      int at = e.offset() + type.size * k;
      out[k] =
          switch (type) {
            case INT16 -> Short.toUnsignedInt(data.getShort(at));
            case INT32 -> data.getInt(at);
            default -> data.getLong(at);
          };
    }
    return out;
  }

  private static int[] ints(long[] values) {
    int[] out = new int[values.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (int) values[k];
    }
    return out;
  }

  OptionalInt int32(RpmTag tag) throws RpmParseException {
    int[] v = int32Array(tag);
    return v.length == 0 ? OptionalInt.empty() : OptionalInt.of(v[0]);
  }

  OptionalLong int64(RpmTag tag) throws RpmParseException {
    long[] v = int64Array(tag);
    return v.length == 0 ? OptionalLong.empty() : OptionalLong.of(v[0]);
  }

  private static void expect(Entry e, Type... allowed) throws RpmParseException {
    for (Type t : allowed) {
      if (e.type() == t) {
        return;
      }
    }
    throw new RpmParseException(
        "tag " + e.tag() + ": type " + e.type() + ", expected " + allowed[0]);
  }

  private List<String> strings(Entry e) {
    List<String> out = new ArrayList<>(e.count());
    int pos = e.offset();
    for (int k = 0; k < e.count(); k++) {
      int nul = indexOfNul(data, pos);
      byte[] b = new byte[nul - pos];
      data.get(pos, b);
      out.add(new String(b, StandardCharsets.UTF_8));
      pos = nul + 1;
    }
    return out;
  }
}
