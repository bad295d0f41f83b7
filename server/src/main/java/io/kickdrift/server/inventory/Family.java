package io.kickdrift.server.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The OS families kickdrift writes kickstarts for. */
public enum Family {
  @JsonProperty("rhel")
  RHEL,
  @JsonProperty("rocky")
  ROCKY,
  @JsonProperty("alma")
  ALMA,
  @JsonProperty("fedora")
  FEDORA
}
