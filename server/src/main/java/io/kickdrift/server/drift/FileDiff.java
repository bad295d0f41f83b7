package io.kickdrift.server.drift;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One file of a host side by side: an earlier version ({@code left}) against the one the head holds
 * ({@code right}), as rows a page shows in two columns (docs/drift-view.md).
 *
 * @param rows empty for binary files; runs of unchanged lines beyond the context are one {@link
 *     Kind#SKIPPED} row
 * @param binary a NUL byte in the first 8 KiB of either side: no rows
 * @param linesCut a line longer than {@link SideBySide#MAX_LINE} characters was cut, ending in …
 * @param identical both sides hold the same bytes
 * @param packagedOriginal for {@link DriftRepo.Against#PACKAGED}: whether the left side is the
 *     packaged original a scan committed; {@code false} when the repository has none (an unowned
 *     file, a package file that could not be had) and the left side is the first version committed
 */
public record FileDiff(
    String host,
    String path,
    DriftRepo.Against against,
    Side left,
    Side right,
    List<Row> rows,
    boolean binary,
    boolean linesCut,
    boolean identical,
    boolean packagedOriginal) {

  public FileDiff {
    rows = List.copyOf(rows);
  }

  /**
   * One version of the file.
   *
   * @param commit the commit it was read from; {@code null} when there is no such version
   * @param present whether that commit stores the file (a file new in the last scan has no previous
   *     version; a missing file has none now)
   * @param size bytes of the stored file
   * @param truncated larger than {@link SideBySide#MAX_BYTES}: only the first MiB was read
   * @param text the content read, decoded (UTF-8, else ISO-8859-1), long lines cut; {@code null}
   *     for a binary file
   */
  public record Side(
      String commit, Instant time, boolean present, long size, boolean truncated, String text) {

    static Side absent(String commit, Instant time) {
      return new Side(commit, time, false, 0, false, "");
    }

    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("commit", commit);
      json.put("time", time == null ? null : time.toString());
      json.put("present", present);
      json.put("size", size);
      json.put("truncated", truncated);
      json.put("text", text);
      return json;
    }
  }

  /** What a row shows. */
  public enum Kind {
    SAME,
    CHANGED,
    ADDED,
    REMOVED,
    SKIPPED;

    /** {@code same}, {@code changed}, … as the API and the page's row classes say it. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One row of the side-by-side view; line numbers are 1-based, 0 where a column has no line.
   *
   * @param skipped for {@link Kind#SKIPPED}: how many unchanged lines it stands for, starting at
   *     {@code leftNo} and {@code rightNo}; else 0
   */
  public record Row(Kind kind, int leftNo, String left, int rightNo, String right, int skipped) {

    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("kind", kind.word());
      json.put("left-no", leftNo == 0 ? null : leftNo);
      json.put("left", left);
      json.put("right-no", rightNo == 0 ? null : rightNo);
      json.put("right", right);
      if (kind == Kind.SKIPPED) {
        json.put("skipped", skipped);
      }
      return json;
    }
  }

  /** The diff as {@code GET /api/v1/hosts/{host}/drift/file} shows it (kebab-case keys). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", host);
    json.put("path", path);
    json.put("against", against.word());
    json.put("left", left.json());
    json.put("right", right.json());
    json.put("rows", rows.stream().map(Row::json).toList());
    json.put("binary", binary);
    json.put("lines-cut", linesCut);
    json.put("identical", identical);
    json.put("packaged-original", packagedOriginal);
    return json;
  }
}
