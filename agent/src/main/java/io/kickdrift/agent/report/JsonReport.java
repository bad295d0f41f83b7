package io.kickdrift.agent.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.kickdrift.agent.scan.ScanReport;
import io.kickdrift.agent.scan.secret.SecretMatch;
import java.io.IOException;
import java.io.OutputStream;

/** The ScanReport as JSON, schema documented in docs/scan-report.md. */
public final class JsonReport {
  private JsonReport() {}

  public static ObjectMapper mapper() {
    return JsonMapper.builder()
        .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .addModule(new SimpleModule().addDeserializer(SecretMatch.class, new SpanlessMatch()))
        .build();
  }

  /**
   * A {@link SecretMatch} as a report carries it: rule, line and key, without the span (the span is
   * an offset into content the reader does not have). The span read back is the first byte, a
   * stand-in no reader of a report uses.
   */
  private static final class SpanlessMatch extends StdDeserializer<SecretMatch> {
    SpanlessMatch() {
      super(SecretMatch.class);
    }

    @Override
    public SecretMatch deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.readValueAsTree();
      if (!n.isObject() || !n.path("rule").isTextual() || !n.path("line").canConvertToInt()) {
        throw MismatchedInputException.from(
            p, SecretMatch.class, "an inline secret needs a rule (text) and a line (number)");
      }
      JsonNode key = n.get("key");
      return new SecretMatch(
          n.get("rule").asText(),
          n.get("line").asInt(),
          key == null || key.isNull() ? null : key.asText(),
          0,
          1);
    }
  }

  /**
   * Reads a report {@link #write} wrote (the fleet scan reads the remote agent's). Fields it does
   * not know are an error, so a report of a newer schema is never half-read.
   *
   * @param source names the report in errors
   * @throws IOException naming {@code source}, the line and column, and what was expected
   */
  public static ScanReport read(String source, byte[] json) throws IOException {
    ScanReport r;
    try {
      r = mapper().readValue(json, ScanReport.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new IOException(
          source
              + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
              + ": not a scan report: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      // bytes Jackson cannot even decode (its UTF-32 detection: "Unsupported UCS-4 endianness")
      throw new IOException(source + ": not a scan report: " + e.getMessage(), e);
    }
    if (r == null) {
      throw new IOException(source + ": not a scan report: empty");
    }
    if (r.schema() != ScanReport.SCHEMA) {
      throw new IOException(
          source + ": scan report schema " + r.schema() + ", expected " + ScanReport.SCHEMA);
    }
    if (r.host() == null || r.findings() == null) {
      throw new IOException(source + ": not a scan report: host or findings missing");
    }
    return r;
  }

  public static void write(ScanReport report, OutputStream out) throws IOException {
    mapper().writeValue(out, report);
    out.write('\n');
    out.flush();
  }
}
