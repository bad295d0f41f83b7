package io.kickdrift.server.distros;

/** What a download reports as it goes, for a progress bar or a log line. */
public interface Progress {
  /** Does nothing. */
  Progress NONE =
      new Progress() {
        @Override
        public void started(String location, long total, long resumedAt) {}

        @Override
        public void advanced(long bytes) {}

        @Override
        public void finished() {}
      };

  /**
   * A transfer begins.
   *
   * @param total the size when known, else -1
   * @param resumedAt bytes already there from an earlier run (0 when starting afresh)
   */
  void started(String location, long total, long resumedAt);

  /** {@code bytes} more arrived. */
  void advanced(long bytes);

  /** The transfer ended, complete or not. */
  void finished();
}
