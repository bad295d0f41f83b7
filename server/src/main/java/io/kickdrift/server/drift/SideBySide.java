package io.kickdrift.server.drift;

import io.kickdrift.server.drift.FileDiff.Kind;
import io.kickdrift.server.drift.FileDiff.Row;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Two versions of a file as side-by-side rows (docs/drift-view.md, "A file"): JGit's histogram
 * diff, as {@code git diff --histogram} makes it, over lines; unchanged runs beyond the context
 * collapsed to one row; long lines cut. Pure: bytes in, rows out.
 */
final class SideBySide {
  /** Lines longer than this many characters are cut, ending in {@code …}. */
  static final int MAX_LINE = 2_000;

  /** Only this much of a file is read and compared. */
  static final int MAX_BYTES = 1 << 20;

  /** A NUL byte among the first this many bytes makes a file binary, as git decides. */
  static final int BINARY_PROBE = 8 << 10;

  /** Unchanged lines kept on each side of a change, as {@code git diff} keeps them. */
  static final int CONTEXT = 3;

  private static final String ELLIPSIS = "…";

  /** The rows, and whether either side was binary or had a line cut. */
  record Result(List<Row> rows, boolean binary, boolean cut) {}

  private SideBySide() {}

  static boolean isBinary(byte[] content) {
    int n = Math.min(content.length, BINARY_PROBE);
    for (int i = 0; i < n; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** {@code old} against {@code now}, with {@code context} unchanged lines around each change. */
  static Result rows(byte[] old, byte[] now, int context) {
    if (isBinary(old) || isBinary(now)) {
      return new Result(List.of(), true, false);
    }
    RawText a = new RawText(old);
    RawText b = new RawText(now);
    EditList edits =
        DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
            .diff(RawTextComparator.DEFAULT, a, b);
    Rows out = new Rows(a, b, context);
    int ia = 0;
    int ib = 0;
    for (int i = 0; i < edits.size(); i++) {
      Edit e = edits.get(i);
      out.same(ia, ib, e.getBeginA() - ia, i == 0, false);
      out.edit(e);
      ia = e.getEndA();
      ib = e.getEndB();
    }
    out.same(ia, ib, a.size() - ia, edits.isEmpty(), true);
    return new Result(List.copyOf(out.rows), false, out.cut);
  }

  /** {@code text} with each line cut to {@link #MAX_LINE} characters; {@code cut[0]} set if any. */
  static String cutLines(byte[] content, boolean[] cut) {
    String text = RawParseUtils.decode(content);
    if (text.length() <= MAX_LINE) {
      return text;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 1 << 16));
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      String line = text.substring(start, end);
      cut[0] |= line.length() > MAX_LINE;
      out.append(cut(line));
      if (nl < 0) {
        break;
      }
      out.append('\n');
      start = nl + 1;
    }
    return out.toString();
  }

  /** The line itself when short enough, else its first {@link #MAX_LINE} characters and …. */
  static String cut(String line) {
    if (line.length() <= MAX_LINE) {
      return line;
    }
    int end = MAX_LINE;
    if (Character.isHighSurrogate(line.charAt(end - 1))) {
      end--; // never half a character
    }
    return line.substring(0, end) + ELLIPSIS;
  }

  /** Rows as they are made, left to right through both texts. */
  private static final class Rows {
    final RawText a;
    final RawText b;
    final int context;
    final List<Row> rows = new ArrayList<>();
    boolean cut;

    Rows(RawText a, RawText b, int context) {
      this.a = a;
      this.b = b;
      this.context = context;
    }

    /**
     * {@code n} unchanged lines from {@code ia} and {@code ib} (0-based); only {@link #context} of
     * them kept next to each change, the others one {@link Kind#SKIPPED} row.
     */
    void same(int ia, int ib, int n, boolean leading, boolean trailing) {
      if (n <= 0) {
        return;
      }
      int head = leading ? 0 : Math.min(context, n);
      int tail = trailing ? 0 : Math.min(context, n);
      if ((long) head + tail >= n) {
        head = n;
        tail = 0;
      }
      for (int k = 0; k < head; k++) {
        rows.add(new Row(Kind.SAME, ia + k + 1, line(a, ia + k), ib + k + 1, line(b, ib + k), 0));
      }
      int skipped = n - head - tail;
      if (skipped > 0) {
        rows.add(new Row(Kind.SKIPPED, ia + head + 1, null, ib + head + 1, null, skipped));
      }
      for (int k = n - tail; k < n; k++) {
        rows.add(new Row(Kind.SAME, ia + k + 1, line(a, ia + k), ib + k + 1, line(b, ib + k), 0));
      }
    }

    /** An edit's lines paired side by side: changed while both sides have one, then the rest. */
    void edit(Edit e) {
      int na = e.getLengthA();
      int nb = e.getLengthB();
      for (int k = 0; k < Math.max(na, nb); k++) {
        int la = e.getBeginA() + k;
        int lb = e.getBeginB() + k;
        if (k < na && k < nb) {
          rows.add(new Row(Kind.CHANGED, la + 1, line(a, la), lb + 1, line(b, lb), 0));
        } else if (k < na) {
          rows.add(new Row(Kind.REMOVED, la + 1, line(a, la), 0, null, 0));
        } else {
          rows.add(new Row(Kind.ADDED, 0, null, lb + 1, line(b, lb), 0));
        }
      }
    }

    private String line(RawText t, int i) {
      String s = t.getString(i);
      cut |= s.length() > MAX_LINE;
      return cut(s);
    }
  }
}
