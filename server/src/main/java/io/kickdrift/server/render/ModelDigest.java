package io.kickdrift.server.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Each host's effective model, written canonically (JSON, properties and map keys sorted) and
 * hashed with SHA-256, together with the site without its hosts (the server, the URLs, the subnets)
 * and what renders them ({@link Templates#fingerprint}). Two renders of a host with equal digests
 * write the same files, so {@code render} keeps the previous tree's files for those hosts instead
 * of rendering them again (docs/render.md, "Only what changed").
 */
public final class ModelDigest {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private ModelDigest() {}

  /** Host name → digest of its model within {@code site}, rendered by {@code renderers}. */
  public static Map<String, String> hosts(SiteModel site, String renderers) {
    String shared =
        of(
            renderers,
            new SiteModel(
                site.server(),
                site.serverAddress(),
                site.baseUrl(),
                site.ipxeUrl(),
                site.source(),
                site.subnets(),
                List.of()));
    Map<String, String> out = new ConcurrentHashMap<>();
    site.hosts().parallelStream().forEach(h -> out.put(h.name(), of(shared, h)));
    return out;
  }

  /** The digest of {@code parts}, written canonically. */
  static String of(Object... parts) {
    try {
      return DigestUtils.sha256Hex(CANONICAL.writeValueAsBytes(parts));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a host model that cannot be written as JSON: " + e, e);
    }
  }
}
