package io.warden.coordinator.config;

import java.util.List;

/**
 * A parsed configuration and the warnings about it (keys accepted but ignored, relative paths,
 * fault-intolerant ensembles), for callers that report warnings themselves;
 * {@link ConfigParser#parse} logs them instead.
 */
public record ParsedConfig(WardenConfig config, List<String> warnings) {
  public ParsedConfig {
    warnings = List.copyOf(warnings);
  }
}
