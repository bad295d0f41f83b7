package io.kickdrift.agent.cli;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * What a person reads when a command fails: the exception's own message where it is written for
 * people, else what the JDK's exception means ({@code NoSuchFileException: inv.yaml} becomes {@code
 * inv.yaml: no such file or directory}), never a class name or "null".
 *
 * <pre>{@code
 * err.println("kickdrift render: " + ErrorText.of(e));
 * }</pre>
 */
public final class ErrorText {
  /** A Java class name quoted in a message, e.g. "java.io.IOException: " inside a cause's text. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b:?\\s*");

  private ErrorText() {}

  /** The message for {@code e}, naming the file or address it is about when the JDK's does. */
  public static String of(Throwable thrown) {
    Throwable e = unwrapped(thrown);
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String other = f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")";
      return f.getFile() + other + ": " + reason(e);
    }
    return reason(e);
  }

  /** As {@link #of}, without the file name: for a message that names the file already. */
  public static String reason(Throwable thrown) {
    Throwable e = unwrapped(thrown);
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileSystemException f) {
      return f.getReason() == null ? "cannot be used" : clean(f.getReason());
    }
    if (e instanceof UnknownHostException) {
      return (e.getMessage() == null ? "host" : clean(e.getMessage()))
          + ": unknown host (check the name, or use an address)";
    }
    if (e instanceof BindException) {
      // "Address already in use", "Cannot assign requested address": the JDK's words are plain.
      return e.getMessage() == null ? "address in use" : lower(message(e));
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      return (e.getMessage() == null ? "cannot connect" : lower(message(e)))
          + "; is it up, and is the address right?";
    }
    if (e instanceof SocketTimeoutException) {
      return "no answer in time (" + message(e) + ")";
    }
    if (e instanceof NullPointerException
        || e instanceof ClassCastException
        || e instanceof IndexOutOfBoundsException
        || e.getMessage() == null
        || e.getMessage().isBlank()) {
      // A programming error: its own text ("because x is null") helps no user.
      return "an internal error ("
          + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "no trace")
          + "); please report it";
    }
    return clean(e.getMessage());
  }

  /** A wrapper that says nothing of its own (UncheckedIOException, new X(cause)): its cause. */
  private static Throwable unwrapped(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && t.getCause() != t
        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    return t;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? "no detail" : clean(e.getMessage().strip());
  }

  private static String lower(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Drops the class names a message may quote from a cause ("java.io.IOException: "). */
  private static String clean(String text) {
    String s = CLASS_NAME.matcher(text).replaceAll("");
    return s.isBlank() ? "failed" : s;
  }
}
