package io.kickdrift.server.inventory;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kickdrift.agent.cli.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads an inventory from YAML, or JSON when the file name ends in {@code .json}, and checks it.
 * Keys are kebab-case ({@code install-tree}, {@code next-server}); an unknown or repeated key is an
 * error. Syntax and type errors stop reading at the first one; the consistency checks that follow
 * report every problem at once. See docs/inventory.md.
 */
public final class InventoryLoader {
  private static final ObjectMapper YAML =
      // rebuild() keeps the factory's default features (a fresh builder drops EMPTY_STRING_AS_NULL)
      configure(
          YAMLMapper.builder(new YAMLFactory().rebuild().loaderOptions(yamlOptions()).build()));
  private static final ObjectMapper JSON =
      configure(
          JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(ReadLimits.DEFAULT.scalarChars())
                          .maxNameLength(ReadLimits.DEFAULT.scalarChars())
                          .build())
                  .build()));

  private InventoryLoader() {}

  /**
   * SnakeYAML's own document limit (3 Mi code points by default, counted as it goes) raised to the
   * file limit, which {@link SourceText} enforces before SnakeYAML starts. Aliases need no limit:
   * Jackson reads {@code *name} as the string "name" and never expands it.
   */
  private static LoaderOptions yamlOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(ReadLimits.DEFAULT.fileBytes());
    return options;
  }

  private static ObjectMapper configure(com.fasterxml.jackson.databind.cfg.MapperBuilder<?, ?> b) {
    return b.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .defaultSetterInfo(JsonSetter.Value.construct(Nulls.DEFAULT, Nulls.FAIL))
        .build();
  }

  /**
   * Loads and checks {@code file}.
   *
   * @throws InventoryException with one {@code file:line:column: field: problem} line per problem,
   *     for an unreadable file too ({@code file:1:1: ...})
   */
  public static Inventory load(Path file) throws InventoryException {
    return load(file, warning -> {});
  }

  /**
   * Loads and checks {@code file}, passing each warning to {@code warnings}: a value that is
   * legitimate only in a case the loader cannot tell (a host holding its subnet's router address is
   * fine if it is the router), as {@code file:line:column: warning: field path: …}.
   *
   * @throws InventoryException as {@link #load(Path)}
   */
  public static Inventory load(Path file, Consumer<String> warnings) throws InventoryException {
    return load(file, warnings, ReadLimits.DEFAULT, new Cache());
  }

  /**
   * As {@link #load(Path, Consumer)}, reusing what {@code cache} parsed before for a file (the
   * inventory or one of its host files) whose bytes are the same: a running server's reload parses
   * only the files an edit changed, then checks the whole inventory again.
   *
   * @throws InventoryException as {@link #load(Path)}
   */
  public static Inventory load(Path file, Consumer<String> warnings, Cache cache)
      throws InventoryException {
    return load(file, warnings, ReadLimits.DEFAULT, cache);
  }

  /**
   * Checks {@code bytes} as if they were {@code file}'s content (its host files found beside it,
   * the file itself never one of them), naming it {@code name} in problems: an edit checked before
   * it replaces the file.
   *
   * @throws InventoryException as {@link #load(Path)}
   */
  public static Inventory check(Path file, String name, byte[] bytes) throws InventoryException {
    return assemble(file, name, bytes, json(file), warning -> {}, ReadLimits.DEFAULT, new Cache());
  }

  static Inventory load(Path file, Consumer<String> warnings, ReadLimits limits)
      throws InventoryException {
    return load(file, warnings, limits, new Cache());
  }

  private static Inventory load(
      Path file, Consumer<String> warnings, ReadLimits limits, Cache cache)
      throws InventoryException {
    return assemble(file, file.toString(), read(file, limits), json(file), warnings, limits, cache);
  }

  private static boolean json(Path file) {
    return file.toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** The file's bytes, up to the limit and one more. */
  private static byte[] read(Path file, ReadLimits limits) throws InventoryException {
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      return SourceText.read(name, in, limits);
    } catch (IOException e) {
      throw new InventoryException(
          List.of(name + ":1:1: (file): cannot read: " + ErrorText.reason(e)));
    }
  }

  /** Loads and checks {@code text} as YAML (or JSON, a subset), naming it {@code name}. */
  static Inventory parseYaml(String name, String text) throws InventoryException {
    return parse(
        name, text.getBytes(StandardCharsets.UTF_8), false, warning -> {}, ReadLimits.DEFAULT);
  }

  /**
   * As {@link #parseYaml(String, String)}, from bytes, with the warnings and limits given; host
   * files are looked for next to {@code name}. The format is JSON when {@code json}, whatever the
   * name.
   */
  static Inventory parse(
      String name, byte[] bytes, boolean json, Consumer<String> warnings, ReadLimits limits)
      throws InventoryException {
    return assemble(Path.of(name), name, bytes, json, warnings, limits, new Cache());
  }

  /**
   * The inventory {@code bytes} hold, with the hosts of its host files after its own, checked as
   * one.
   */
  private static Inventory assemble(
      Path file,
      String name,
      byte[] bytes,
      boolean json,
      Consumer<String> warnings,
      ReadLimits limits,
      Cache cache)
      throws InventoryException {
    Map<Path, Cache.Entry> used = new HashMap<>();
    Parsed<Inventory> main =
        cache.parsed(file, name, bytes, json, Inventory.class, MAIN_EMPTY, limits, used);
    Inventory inventory = main.value();
    cache.hostFiles = inventory.hostFiles();
    Sources sources = new Sources(name, main.lines(), inventory.hosts().size());
    if (!inventory.hostFiles().isEmpty()) {
      List<Path> files;
      try {
        files = HostFiles.resolve(file, inventory.hostFiles());
      } catch (HostFiles.BadPattern e) {
        String path = "host-files[" + e.index + "]";
        throw new InventoryException(
            List.of(name + ":" + main.lines().of(path) + ": " + path + ": " + e.getMessage()));
      }
      List<Host> hosts = new ArrayList<>(inventory.hosts());
      for (Path f : files) {
        String fileName = f.toString();
        Parsed<HostFile> part =
            cache.parsed(
                f, fileName, read(f, limits), json(f), HostFile.class, HOSTS_EMPTY, limits, used);
        hosts.addAll(part.value().hosts());
        sources.add(fileName, part.lines(), part.value().hosts().size());
      }
      inventory = inventory.withHosts(hosts);
    }
    cache.keep(used);
    InventoryValidator.Findings findings = InventoryValidator.check(inventory, sources);
    if (!findings.problems().isEmpty()) {
      throw new InventoryException(findings.problems());
    }
    findings.warnings().forEach(warnings);
    return inventory;
  }

  private static final String MAIN_EMPTY = "empty; expected a mapping of inventory sections";
  private static final String HOSTS_EMPTY = "empty; expected a mapping with a hosts list";

  /** A host file: a mapping whose one key is {@code hosts}, a list as the inventory's. */
  record HostFile(List<Host> hosts) {
    HostFile {
      hosts = Copies.list(hosts);
    }
  }

  /** A file's value and where its fields are. */
  record Parsed<T>(T value, SourceLines lines) {}

  /**
   * The files an earlier load parsed, by path, with their bytes: a file whose bytes are the same is
   * not parsed again. Holds what the last load used only. Safe for one loading thread at a time
   * (serve's reloads are).
   */
  public static final class Cache {
    private record Entry(byte[] bytes, boolean json, Class<?> type, Parsed<?> parsed) {}

    private Map<Path, Entry> entries = Map.of();
    private volatile List<String> hostFiles = List.of();

    /**
     * The {@code host-files} patterns of the inventory file last read, also when its load then
     * failed (a host file missing or wrong): the files a watch must look at for the fix.
     */
    public List<String> hostFiles() {
      return hostFiles;
    }

    private <T> Parsed<T> parsed(
        Path file,
        String name,
        byte[] bytes,
        boolean json,
        Class<T> type,
        String empty,
        ReadLimits limits,
        Map<Path, Entry> used)
        throws InventoryException {
      Entry e = entries.get(file);
      Parsed<T> parsed;
      if (e != null && e.type() == type && e.json() == json && Arrays.equals(e.bytes(), bytes)) {
        @SuppressWarnings("unchecked")
        Parsed<T> same = (Parsed<T>) e.parsed();
        parsed = same;
      } else {
        parsed = parse(name, bytes, json, type, empty, limits);
      }
      used.put(file, new Entry(bytes, json, type, parsed));
      return parsed;
    }

    private void keep(Map<Path, Entry> used) {
      entries = Map.copyOf(used);
    }
  }

  /** Parses one file into {@code type}, stopping at the first syntax or type error. */
  private static <T> Parsed<T> parse(
      String name, byte[] bytes, boolean json, Class<T> type, String empty, ReadLimits limits)
      throws InventoryException {
    if (bytes.length > limits.fileBytes()) {
      throw SourceText.tooLarge(name, limits);
    }
    String text = SourceText.decode(name, bytes, !json, limits);
    ObjectMapper mapper = json ? JSON : YAML;
    SourceLines lines;
    TokenBuffer tokens;
    try (JsonParser parser = mapper.createParser(text)) {
      tokens = new TokenBuffer(parser);
      lines = SourceLines.read(parser, tokens, limits.scalarChars());
    } catch (JsonProcessingException e) {
      throw new InventoryException(List.of(syntax(name, e, json)));
    } catch (IOException e) {
      throw new InventoryException(
          List.of(name + ":1:1: (file): cannot read: " + ErrorText.reason(e)));
    }
    if (!lines.problems().isEmpty()) {
      throw new InventoryException(lines.problems().stream().map(d -> name + ":" + d).toList());
    }
    T value;
    JsonParser mapped = tokens.asParser(mapper);
    try {
      value = mapper.readValue(mapped, type);
    } catch (NumberFormatException e) {
      // A float no BigDecimal holds (an exponent of 30 digits) fails unchecked, without a path.
      String path = path(mapped.getParsingContext());
      throw new InventoryException(
          List.of(
              name
                  + ":"
                  + lines.of(path)
                  + ": "
                  + display(path)
                  + ": "
                  + Shape.shown(numberText(mapped))
                  + " is not a number in range"));
    } catch (JsonMappingException e) {
      String path = path(e);
      String where = path.isEmpty() ? position(e) : lines.of(path).toString();
      throw new InventoryException(
          List.of(name + ":" + where + ": " + display(path) + ": " + expected(e, empty)));
    } catch (JsonProcessingException e) {
      throw new InventoryException(List.of(syntax(name, e, json)));
    } catch (IOException e) {
      throw new InventoryException(
          List.of(name + ":1:1: (file): cannot read: " + ErrorText.reason(e)));
    }
    if (value == null) {
      throw new InventoryException(List.of(name + ":1:1: (top level): " + empty));
    }
    return new Parsed<>(value, lines);
  }

  private static String syntax(String name, JsonProcessingException e, boolean json) {
    return name
        + ":"
        + position(e)
        + ": (syntax): "
        + SyntaxText.of(summary(e.getOriginalMessage()), json);
  }

  private static String position(JsonProcessingException e) {
    return SourceLines.position(e.getLocation()).toString();
  }

  static String display(String path) {
    return path.isEmpty() ? "(top level)" : path;
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The path of the parser's current value, as {@link #path(JsonMappingException)} writes it. */
  private static String path(JsonStreamContext context) {
    List<String> parts = new java.util.ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      }
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String numberText(JsonParser parser) {
    try {
      return parser.getText();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String expected(JsonMappingException e, String empty) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown key; expected one of: " + sorted(u.getKnownPropertyIds());
    }
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      return firstLine(e.getCause().getMessage());
    }
    if (e instanceof InvalidNullException) {
      return "no value; expected a value";
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
      return Shape.shown(String.valueOf(f.getValue())) + " is not " + describe(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m) {
      if (String.valueOf(m.getOriginalMessage()).startsWith("No content")) {
        return empty;
      }
      if (m.getTargetType() != null) {
        return "expected " + describe(m.getTargetType());
      }
    }
    return firstLine(e.getOriginalMessage());
  }

  private static String describe(Class<?> type) {
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(c -> c.toString().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  private static String sorted(Collection<Object> ids) {
    return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  /** A parser's message without the excerpt and position lines SnakeYAML adds. */
  private static String summary(String message) {
    if (message == null) {
      return "unreadable";
    }
    String summary =
        message
            .lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .map(String::strip)
            .collect(Collectors.joining("; "));
    return summary.isEmpty() ? firstLine(message) : summary;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl).strip();
  }
}
