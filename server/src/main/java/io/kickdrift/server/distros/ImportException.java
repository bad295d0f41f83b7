package io.kickdrift.server.distros;

/**
 * A problem with the install tree itself: an unrecognised layout, a {@code .treeinfo} that cannot
 * be read, a file the tree lacks, a checksum that does not match. Nothing has been changed when it
 * is thrown.
 */
public final class ImportException extends Exception {
  public ImportException(String message) {
    super(message);
  }
}
