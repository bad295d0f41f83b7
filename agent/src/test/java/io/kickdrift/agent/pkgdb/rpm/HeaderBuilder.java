package io.kickdrift.agent.pkgdb.rpm;

import io.kickdrift.agent.pkgdb.rpm.RpmHeader.Type;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test-only encoder of rpmdb header blobs, aligning data the way rpm does. */
final class HeaderBuilder {
  private record Item(int tag, Type type, int count, byte[] bytes) {}

  private final List<Item> items = new ArrayList<>();

  HeaderBuilder string(RpmTag tag, String s) {
    return add(tag.id(), Type.STRING, 1, nulTerminated(List.of(s)));
  }

  HeaderBuilder strings(RpmTag tag, String... s) {
    return add(tag.id(), Type.STRING_ARRAY, s.length, nulTerminated(List.of(s)));
  }

  HeaderBuilder int32(RpmTag tag, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (int x : v) {
      b.putInt(x);
    }
    return add(tag.id(), Type.INT32, v.length, b.array());
  }

  HeaderBuilder int16(RpmTag tag, int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length);
    for (int x : v) {
      b.putShort((short) x);
    }
    return add(tag.id(), Type.INT16, v.length, b.array());
  }

  HeaderBuilder int64(RpmTag tag, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length);
    for (long x : v) {
      b.putLong(x);
    }
    return add(tag.id(), Type.INT64, v.length, b.array());
  }

  HeaderBuilder chars(RpmTag tag, int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return add(tag.id(), Type.CHAR, v.length, b);
  }

  HeaderBuilder add(int tag, Type type, int count, byte[] bytes) {
    items.add(new Item(tag, type, count, bytes));
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteBuffer index = ByteBuffer.allocate(16 * items.size());
    for (Item it : items) {
      int align = it.type().isString() ? 1 : it.type().size;
      while (data.size() % align != 0) {
        data.write(0);
      }
      index.putInt(it.tag()).putInt(it.type().id).putInt(data.size()).putInt(it.count());
      data.writeBytes(it.bytes());
    }
    return ByteBuffer.allocate(8 + index.capacity() + data.size())
        .putInt(items.size())
        .putInt(data.size())
        .put(index.array())
        .put(data.toByteArray())
        .array();
  }

  private static byte[] nulTerminated(List<String> strings) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String s : strings) {
      b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      b.write(0);
    }
    return b.toByteArray();
  }
}
