package io.kickdrift.agent.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kickdrift.agent.scan.ScanReport;
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
        .build();
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
