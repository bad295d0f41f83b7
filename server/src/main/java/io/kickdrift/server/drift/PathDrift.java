package io.kickdrift.server.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One path across the fleet: how many hosts list it in their manifest, what they hold there, and
 * which hosts stand out (docs/drift-view.md, "Fleet").
 *
 * @param hosts hosts whose manifest lists the path (modified, unowned, missing or unreadable): the
 *     hosts differing from what their package ships, or holding a file no package owns
 * @param variants what those hosts hold, most hosts first: a digest, {@code -> TARGET} for a link,
 *     {@code missing}, or {@code unknown}; at most {@link Fleet#MAX_VARIANTS}
 * @param variantCount how many distinct variants there are in all
 * @param outliers hosts holding a variant few hosts hold, sorted; at most {@link
 *     Fleet#MAX_OUTLIERS}
 * @param outlierCount how many outliers there are in all
 */
public record PathDrift(
    String path,
    int hosts,
    int modified,
    int unowned,
    int missing,
    int unreadable,
    List<Variant> variants,
    int variantCount,
    List<String> outliers,
    int outlierCount) {

  public PathDrift {
    variants = List.copyOf(variants);
    outliers = List.copyOf(outliers);
  }

  /** One value hosts hold at the path, and how many hold it. */
  public record Variant(String value, int hosts) {
    public Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("value", value);
      json.put("hosts", hosts);
      return json;
    }
  }

  /** The path as {@code GET /api/v1/drift} shows it (kebab-case keys). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("path", path);
    json.put("hosts-differing", hosts);
    json.put("modified", modified);
    json.put("unowned", unowned);
    json.put("missing", missing);
    json.put("unreadable", unreadable);
    json.put("variants", variants.stream().map(Variant::json).toList());
    json.put("variant-count", variantCount);
    json.put("outliers", outliers);
    json.put("outlier-count", outlierCount);
    return json;
  }
}
