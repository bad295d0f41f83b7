package io.kickdrift.server.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a host's manifest says of one path (docs/config-repo.md, "manifest.json"); fields the
 * manifest leaves out are {@code null}.
 *
 * @param status {@code modified}, {@code unowned}, {@code missing} or {@code unreadable}
 * @param pkg the owning package, {@code null} for unowned files
 * @param digest of the committed content (of the redacted bytes for {@code secret: redacted})
 * @param mode permission bits in octal as found on the host, {@code "0644"}
 * @param secret {@code none}, {@code placeholder}, {@code encrypted} or {@code redacted}: the
 *     repository holds a placeholder or an OpenPGP message, shown as it is
 * @param stored whether the repository holds the file's content
 */
public record DriftFile(
    String path,
    String status,
    String pkg,
    String version,
    String type,
    String mode,
    String user,
    String group,
    String linkTarget,
    String digest,
    String packagedDigest,
    String secret,
    boolean stored,
    String note) {

  /** The entry as the API shows it (kebab-case keys). */
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("path", path);
    json.put("status", status);
    json.put("package", pkg);
    json.put("version", version);
    json.put("type", type);
    json.put("mode", mode);
    json.put("user", user);
    json.put("group", group);
    json.put("link-target", linkTarget);
    json.put("digest", digest);
    json.put("packaged-digest", packagedDigest);
    json.put("secret", secret);
    json.put("stored", stored);
    json.put("note", note);
    return json;
  }
}
