package io.kickdrift.server.render;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The Freemarker templates: a user's directory first, when given, then the built-in ones (the
 * repository's {@code kickstart/} and {@code templates/} directories, packaged together under
 * {@code /kickdrift/templates}, so a name such as {@code snippets/rootpw.ftl} or {@code
 * dns/forward.ftl} is the same relative path in the user's directory). Interpolations are written
 * {@code [=expr]} so that the {@code ${...}} of shell, GRUB and iPXE scripts stays literal;
 * directives keep the usual {@code <#if>} form. Templates see plain values only ({@link
 * PlainValues}) and write inventory values through the quoting functions of {@link Quoting}.
 * Thread-safe once built.
 */
public final class Templates {
  static final String BUILT_IN = "/kickdrift/templates";

  /** Freemarker names the Java class of a value in its messages; a template author needs none. */
  private static final Pattern WRAPPER_NOTE = Pattern.compile(" \\(wrapper: [^)]*\\)");

  private final Configuration config;
  private final Path userDir;

  /**
   * @param userDir a directory whose templates replace built-in ones of the same relative name, or
   *     null
   */
  public Templates(Path userDir) throws RenderException {
    this.userDir = userDir;
    config = new Configuration(Configuration.VERSION_2_3_34);
    TemplateLoader builtIn = new ClassTemplateLoader(Templates.class, BUILT_IN);
    if (userDir == null) {
      config.setTemplateLoader(builtIn);
    } else {
      if (!Files.isDirectory(userDir)) {
        throw new RenderException(userDir + ": template directory not found");
      }
      config.setTemplateLoader(
          new MultiTemplateLoader(new TemplateLoader[] {new UserTemplateLoader(userDir), builtIn}));
    }
    config.setDefaultEncoding("UTF-8");
    config.setURLEscapingCharset("UTF-8"); // ?url in the console's links
    config.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
    config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    config.setLogTemplateExceptions(false);
    config.setWrapUncheckedExceptions(true);
    config.setFallbackOnNullLoopVariable(false);
    config.setNumberFormat("computer");
    config.setBooleanFormat("c");
    config.setAPIBuiltinEnabled(false);
    config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    config.setLocalizedLookup(false);
    // Read once: serve caches what it renders per inventory snapshot, so templates change on
    // restart.
    config.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
    // Plain values only (no methods, classes or constructors), and the quoting functions.
    config.setObjectWrapper(PlainValues.INSTANCE);
    Quoting.templateFunctions().forEach(config::setSharedVariable);
  }

  /**
   * The text of template {@code name} as rendering reads it (the user's directory first), or empty
   * when there is none: for the linter, which looks for the sections templates start.
   *
   * @throws IOException when it cannot be read, e.g. a link in the user's directory that leads
   *     outside it
   */
  public Optional<String> source(String name) throws IOException {
    TemplateLoader loader = config.getTemplateLoader();
    Object source = loader.findTemplateSource(name);
    if (source == null) {
      return Optional.empty();
    }
    try (Reader reader = loader.getReader(source, "UTF-8")) {
      StringWriter text = new StringWriter();
      reader.transferTo(text);
      return Optional.of(text.toString());
    } finally {
      loader.closeTemplateSource(source);
    }
  }

  /** Whether a template of that name exists (user or built-in). */
  public boolean exists(String name) {
    try {
      config.getTemplate(name);
      return true;
    } catch (TemplateNotFoundException e) {
      return false;
    } catch (IOException e) {
      return true; // exists but does not parse: render reports it
    }
  }

  /**
   * Renders template {@code name} with the given root variables.
   *
   * @param what names the output in error messages, e.g. the host
   * @throws RenderException naming the template (user or included snippet) and line
   */
  public String render(String name, Map<String, Object> root, String what) throws RenderException {
    Template template;
    try {
      template = config.getTemplate(name);
    } catch (TemplateNotFoundException e) {
      throw new RenderException(
          "template "
              + name
              + " not found (for "
              + what
              + "); expected it in the template"
              + " directory or among the built-in templates");
    } catch (IOException e) {
      UserTemplateLoader.Outside outside = cause(e, UserTemplateLoader.Outside.class);
      if (outside != null) {
        throw new RenderException(
            "template " + name + " (for " + what + "): " + outside.getMessage(), e);
      }
      // Freemarker caches a parse failure: later lookups get an IOException caused by it.
      ParseException parse = e instanceof ParseException p ? p : parseCause(e);
      if (parse != null) {
        throw new RenderException(parseError(parse), e);
      }
      throw new RenderException("template " + name + ": cannot read: " + e.getMessage(), e);
    }
    return process(template, name, root, what);
  }

  /**
   * Renders {@code source}, a template's text that is no file of the template directory (a desired
   * file's template, docs/desired-state.md), with the same settings and plain values as {@link
   * #render} but without white-space stripping: every character that is not FTL is written as it
   * is, so a file kept as a template renders to its exact bytes. It may include templates by name.
   *
   * @param name what error messages call it, e.g. {@code desired/profiles/web/templates/etc/x.ftl}
   * @throws RenderException naming {@code name} and the line
   */
  public String renderSource(String name, String source, Map<String, Object> root, String what)
      throws RenderException {
    Template template;
    try {
      TemplateConfiguration exact = new TemplateConfiguration();
      exact.setParentConfiguration(config);
      exact.setWhitespaceStripping(false);
      template = new Template(name, null, new StringReader(source), config, exact, null);
    } catch (ParseException e) {
      throw new RenderException(parseError(e), e);
    } catch (IOException e) {
      throw new RenderException("template " + name + ": " + e.getMessage(), e);
    }
    return process(template, name, root, what);
  }

  private String process(Template template, String name, Map<String, Object> root, String what)
      throws RenderException {
    StringWriter out = new StringWriter(4096);
    try {
      template.process(root, out);
    } catch (TemplateException e) {
      String source = e.getTemplateSourceName() != null ? e.getTemplateSourceName() : name;
      UserTemplateLoader.Outside outside = cause(e, UserTemplateLoader.Outside.class);
      if (outside != null) {
        throw new RenderException(
            "template " + source + " (for " + what + "): " + outside.getMessage(), e);
      }
      ParseException included = parseCause(e);
      if (included != null) {
        throw new RenderException(
            parseError(included)
                + " (included from "
                + e.getTemplateSourceName()
                + " line "
                + e.getLineNumber()
                + ", for "
                + what
                + ")",
            e);
      }
      String line = e.getLineNumber() != null ? " line " + e.getLineNumber() : "";
      throw new RenderException(
          "template "
              + source
              + line
              + " (for "
              + what
              + "): "
              + firstLine(e.getMessageWithoutStackTop()),
          e);
    } catch (IOException e) {
      throw new RenderException("template " + name + ": " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static ParseException parseCause(Throwable e) {
    return cause(e.getCause(), ParseException.class);
  }

  /** {@code e} or the first of its causes of that type, else null. */
  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** {@code template NAME line N: what is wrong}, for a template that does not parse. */
  private static String parseError(ParseException p) {
    return "template "
        + p.getTemplateName()
        + " line "
        + p.getLineNumber()
        + ": "
        + firstLine(p.getEditorMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "failed";
    }
    return message
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("----") && !l.startsWith("Tip:"))
        .reduce((a, b) -> a.endsWith(":") ? a + " " + b : a)
        .map(l -> WRAPPER_NOTE.matcher(l).replaceAll(""))
        .orElse("failed");
  }

  /**
   * What renders with these templates, as a digest: this build (its jar's path, size and mtime; the
   * built-in templates' files when running from classes) and every file of the user template
   * directory (relative path and bytes). Equal models render the same under equal fingerprints.
   */
  public String fingerprint() throws IOException {
    java.security.MessageDigest sha = DigestUtils.getSha256Digest();
    Path code;
    try {
      code = Path.of(Templates.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IOException("cannot tell where kickdrift's templates come from: " + e, e);
    }
    if (Files.isRegularFile(code)) {
      sha.update(
          (code + "\0" + Files.size(code) + "\0" + Files.getLastModifiedTime(code).toMillis())
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      digestTree(sha, code.resolve(BUILT_IN.substring(1)));
    }
    sha.update((byte) 0);
    if (userDir != null) {
      digestTree(sha, userDir);
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  private static void digestTree(java.security.MessageDigest sha, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    java.util.List<Path> files;
    try (var walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      sha.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(f));
      sha.update((byte) 0);
    }
  }
}
