package io.kickdrift.server.render;

import freemarker.cache.TemplateLoader;
import io.kickdrift.server.guard.PathRefusedException;
import io.kickdrift.server.guard.ServedRoot;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's template directory ({@code --templates DIR}), read under the rule of served roots
 * ({@link ServedRoot}): a link inside the directory to a file inside it is followed, one that leads
 * outside is refused with an error naming the file. Freemarker's FileTemplateLoader throws an
 * unchecked SecurityException there, which ended the render in a stack trace.
 */
final class UserTemplateLoader implements TemplateLoader {
  /**
   * A template name that leads outside the directory. Freemarker caches the failed lookup and
   * answers later ones with "an error on an earlier attempt" caused by this: {@link Templates}
   * looks for it among the causes so that every render names the link.
   */
  static final class Outside extends IOException {
    Outside(String message) {
      super(message);
    }
  }

  private final ServedRoot root;

  UserTemplateLoader(Path dir) {
    this.root = new ServedRoot(dir);
  }

  /** The real path of the template, or null when the directory has none of that name. */
  @Override
  public Object findTemplateSource(String name) throws IOException {
    try {
      return root.file(name).orElse(null);
    } catch (PathRefusedException e) {
      throw new Outside(
          root.root().resolve(name)
              + " leads outside the template directory "
              + root.root()
              + "; expected a file, or a link to one, inside it");
    }
  }

  @Override
  public long getLastModified(Object source) {
    try {
      return Files.getLastModifiedTime((Path) source).toMillis();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public Reader getReader(Object source, String encoding) throws IOException {
    return Files.newBufferedReader((Path) source, Charset.forName(encoding));
  }

  @Override
  public void closeTemplateSource(Object source) {
    // nothing held open between the calls
  }
}
