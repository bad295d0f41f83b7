package io.kickdrift.server.web;

import io.kickdrift.server.render.RenderException;
import io.kickdrift.server.render.Templates;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's pages: {@code web/NAME.ftlh} rendered by the one template engine kickdrift has
 * ({@link Templates}: a user's {@code --templates} directory over the built-in ones, plain values
 * only, no Java reachable). The {@code .ftlh} extension makes Freemarker escape every interpolation
 * for HTML; values reach the templates already {@link Shown} (cut, invisibles written out). Static
 * files come from {@code web/static/}.
 */
public final class Pages {
  /** The static files a page may link, and their content types. */
  private static final Map<String, String> STATIC =
      Map.of(
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private final Templates templates;

  public Pages(Templates templates) {
    this.templates = templates;
  }

  /** Page {@code name} ({@code web/NAME.ftlh}) with {@code model}. */
  public String render(String name, Map<String, Object> model) throws RenderException {
    return templates.render("web/" + name + ".ftlh", model, "console page " + name);
  }

  /** The names {@link #staticFile} serves. */
  public static Set<String> staticNames() {
    return STATIC.keySet();
  }

  /** A static file's content type and text, empty for any name not in the list. */
  public Optional<Map.Entry<String, String>> staticFile(String name) throws IOException {
    String type = STATIC.get(name);
    if (type == null) {
      return Optional.empty();
    }
    Optional<String> text = templates.source("web/static/" + name);
    return text.map(t -> Map.entry(type, t));
  }
}
