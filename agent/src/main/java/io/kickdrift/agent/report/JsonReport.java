package io.kickdrift.agent.report;

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
        .build();
  }

  public static void write(ScanReport report, OutputStream out) throws IOException {
    mapper().writeValue(out, report);
    out.write('\n');
    out.flush();
  }
}
