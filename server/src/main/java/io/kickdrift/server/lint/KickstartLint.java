package io.kickdrift.server.lint;

import io.kickdrift.server.lint.KickstartVersion.Status;
import io.kickdrift.server.lint.LintProblem.Severity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what Anaconda would reject in a kickstart before a machine boots with it: the version
 * header, %sections and their %end, unknown, removed and repeated commands, a missing install
 * source, bootloader or rootpw, and passwords in plain text; and, given the templates' {@link
 * DeclaredSections}, a script section no template starts. Example: {@code
 * KickstartLint.lint("ks.cfg", Files.readString(path)).forEach(System.err::println)}.
 */
public final class KickstartLint {
  private static final Pattern HEADER = Pattern.compile("#version=(\\S*)\\s*");

  private final String source;
  private final String[] lines;

  /** The script sections the kickstart's templates start, or null not to check them. */
  private final DeclaredSections declared;

  /** Which declaring template lines a section of this kickstart has already used. */
  private final boolean[] claimed;

  private final List<LintProblem> problems = new ArrayList<>();
  private KickstartVersion version;
  private boolean includes;

  /** Where each command (by its canonical name) was first given, and how it was spelt. */
  private final Map<String, Given> given = new HashMap<>();

  private boolean wheelUser;
  private boolean rootKey;
  private int lockedRootLine;

  private record Given(int line, String spelling) {}

  private record Section(String name, int line) {}

  private KickstartLint(String source, String text, DeclaredSections declared) {
    this.source = source;
    this.declared = declared;
    this.claimed = declared == null ? new boolean[0] : new boolean[declared.headers().size()];
    this.lines = lines(text);
  }

  /**
   * The lines as pykickstart reads them (Python's {@code str.splitlines}): a line ends at LF, CR,
   * CR LF, VT, FF, FS, GS, RS, NEL, U+2028 or U+2029, so a value with one of these in it cannot
   * hide a line from the linter that Anaconda would see.
   */
  static String[] lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n'
          || c == '\r'
          || c == '\u000b'
          || c == '\u000c'
          || (c >= '\u001c' && c <= '\u001e')
          || c == '\u0085'
          || c == '\u2028'
          || c == '\u2029') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    lines.add(text.substring(start));
    return lines.toArray(String[]::new);
  }

  /** The problems of one kickstart, by line; {@code source} only names the file in them. */
  public static List<LintProblem> lint(String source, String text) {
    return lint(source, text, null);
  }

  /**
   * The same, and a script section ({@link DeclaredSections#SCRIPTS}) that none of the {@code
   * declared} template lines starts is an error: a value put it into the kickstart.
   *
   * @param declared the script sections the kickstart's templates start, or null not to check
   */
  public static List<LintProblem> lint(String source, String text, DeclaredSections declared) {
    KickstartLint lint = new KickstartLint(source, text, declared);
    lint.header();
    lint.body();
    lint.required();
    List<LintProblem> sorted = new ArrayList<>(lint.problems);
    sorted.sort(Comparator.comparingInt(LintProblem::line)); // stable: same line keeps order
    return List.copyOf(sorted);
  }

  private void header() {
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        break;
      }
      Matcher m = HEADER.matcher(line);
      if (m.matches()) {
        version = KickstartVersion.parse(m.group(1)).orElse(null);
        if (version == null) {
          error(
              i + 1,
              "unknown kickstart version '"
                  + m.group(1)
                  + "'; expected #version= one of "
                  + String.join(", ", KickstartVersion.names()));
        }
        return;
      }
    }
    error(
        1,
        "no #version= header; expected a first line such as #version=RHEL9 (one of "
            + String.join(", ", KickstartVersion.names())
            + ")");
  }

  private void body() {
    Section open = null;
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String line = lines[i].strip();
      String first = line.isEmpty() ? "" : line.split("\\s+", 2)[0];
      if (open != null) {
        // Inside a section only %end and another section's header mean anything to the parser.
        if (first.equals("%end")) {
          open = null;
        } else if (KickstartVersion.sections().contains(first)) {
          error(
              n,
              first
                  + " opened inside "
                  + open.name()
                  + " (line "
                  + open.line()
                  + "); expected %end before it");
          open = section(first, line, n);
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (first.startsWith("%")) {
        open = topLevelPercent(first, line, n);
      } else {
        command(line, n);
      }
    }
    if (open != null) {
      error(open.line(), open.name() + " is not closed; expected %end after it");
    }
  }

  /** A %line outside any section: opens one (returned), or is %end, %include or unknown. */
  private Section topLevelPercent(String first, String line, int n) {
    switch (first) {
      case "%end" -> error(n, "%end without an open section");
      case "%include", "%ksappend" -> {
        includes = true;
        warning(n, first + " cannot be followed by the linter; the included file is not checked");
      }
      default -> {
        if (KickstartVersion.sections().contains(first)) {
          return section(first, line, n);
        }
        error(
            n,
            "unknown section '"
                + first
                + "'"
                + suggestion(first, KickstartVersion.sections())
                + "; expected one of "
                + String.join(", ", KickstartVersion.sections()));
        // Its body up to %end is skipped: a misspelt %packages is one error, not one per package.
        return new Section(first, n);
      }
    }
    return null;
  }

  private Section section(String name, String line, int n) {
    if (version != null) {
      deprecatedOrRemoved(name, n);
    }
    if (declared != null && DeclaredSections.SCRIPTS.contains(name) && !claim(line)) {
      error(
          n,
          "undeclared "
              + name
              + ": "
              + declared.noneStarts()
              + " starts it (a value injected into the kickstart?)");
    }
    if (name.equals("%addon") && line.split("\\s+").length < 2) {
      error(n, "%addon needs the add-on's name, e.g. %addon com_redhat_kdump");
    }
    return new Section(name, n);
  }

  /** Whether a declaring template line not yet used accounts for this section header. */
  private boolean claim(String header) {
    List<DeclaredSections.Header> headers = declared.headers();
    for (int i = 0; i < headers.size(); i++) {
      if (!claimed[i] && headers.get(i).pattern().matcher(header.strip()).matches()) {
        claimed[i] = true;
        return true;
      }
    }
    return false;
  }

  private void command(String line, int n) {
    List<String> words;
    try {
      words = Words.split(line);
    } catch (IllegalArgumentException e) {
      error(n, e.getMessage() + "; pykickstart cannot split this line");
      return;
    }
    if (words.isEmpty()) {
      return;
    }
    String cmd = words.get(0);
    Status status = status(cmd);
    if (status == Status.UNKNOWN) {
      unknown(cmd, n);
      return;
    }
    if (deprecatedOrRemoved(cmd, n) == Status.REMOVED) {
      return;
    }
    String canonical = KickstartVersion.canonical(cmd);
    Given first = given.get(canonical);
    if (first == null) {
      given.put(canonical, new Given(n, cmd));
    } else if (!KickstartVersion.repeatable(cmd)) {
      warning(
          n,
          cmd
              + " given again (first"
              + (first.spelling().equals(cmd) ? "" : " as " + first.spelling())
              + " on line "
              + first.line()
              + "); it may be given once and the last one wins");
    }
    passwords(cmd, words, n);
  }

  private Status status(String cmd) {
    if (version != null) {
      return version.status(cmd);
    }
    return KickstartVersion.allCommands().contains(cmd) ? Status.VALID : Status.UNKNOWN;
  }

  private Status deprecatedOrRemoved(String word, int n) {
    if (version == null) {
      return Status.VALID;
    }
    Status status = version.status(word);
    if (status == Status.REMOVED) {
      error(n, word + " was removed in " + version.name() + ": " + version.hint(word));
    } else if (status == Status.DEPRECATED) {
      warning(n, word + " is deprecated in " + version.name() + ": " + version.hint(word));
    }
    return status;
  }

  private void unknown(String cmd, int n) {
    if (version == null) {
      error(
          n,
          "unknown command '"
              + cmd
              + "'"
              + suggestion(cmd, KickstartVersion.allCommands())
              + " (no version declared, checked against all)");
      return;
    }
    List<String> elsewhere = version.versionsWith(cmd);
    if (!elsewhere.isEmpty()) {
      error(
          n,
          cmd
              + " is not a "
              + version.name()
              + " command; it exists in "
              + String.join(", ", elsewhere));
      return;
    }
    String hint = suggestion(cmd, version.validCommands());
    error(
        n,
        "unknown command '"
            + cmd
            + "'"
            + (hint.isEmpty() ? " (not a " + version.name() + " kickstart command)" : hint));
  }

  private void passwords(String cmd, List<String> words, int n) {
    boolean crypted = words.contains("--iscrypted");
    switch (cmd) {
      case "rootpw" -> {
        boolean lock = words.contains("--lock");
        boolean password = words.stream().skip(1).anyMatch(w -> !w.startsWith("--"));
        if (lock) {
          lockedRootLine = n;
        }
        if (!lock && !password) {
          error(n, "rootpw without a password; expected rootpw --iscrypted HASH or rootpw --lock");
        } else if (!crypted && !lock) {
          error(
              n,
              "rootpw gives the root password in plain text; expected rootpw --iscrypted with a"
                  + " hash (openssl passwd -6) or rootpw --lock");
        }
      }
      case "user" -> {
        String name = value(words, "--name").orElse("?");
        if (value(words, "--password").isPresent() && !crypted) {
          error(
              n,
              "user "
                  + name
                  + ": --password in plain text; expected --iscrypted with a hash"
                  + " (openssl passwd -6)");
        }
        if (List.of(value(words, "--groups").orElse("").split(",")).contains("wheel")) {
          wheelUser = true;
        }
      }
      case "bootloader" -> {
        if (value(words, "--password").isPresent() && !crypted) {
          error(
              n,
              "bootloader --password in plain text; expected --iscrypted with a"
                  + " grub2-mkpasswd-pbkdf2 hash");
        }
      }
      case "sshkey" -> {
        if (value(words, "--username").filter("root"::equals).isPresent()) {
          rootKey = true;
        }
      }
      case "sshpw" -> {
        if (!crypted) {
          error(
              n,
              "sshpw gives the password in plain text; expected --iscrypted with a hash"
                  + " (openssl passwd -6)");
        }
      }
      default -> {
        // no password options
      }
    }
  }

  /** The value of {@code --opt=value} or {@code --opt value}, as argparse reads them. */
  private static Optional<String> value(List<String> words, String option) {
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (w.startsWith(option + "=")) {
        return Optional.of(w.substring(option.length() + 1));
      }
      if (w.equals(option) && i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
        return Optional.of(words.get(i + 1));
      }
    }
    return Optional.empty();
  }

  private void required() {
    Collection<String> sources =
        version != null
            ? version.installSources()
            : List.of("url", "nfs", "cdrom", "harddrive", "liveimg", "ostreesetup");
    // An %include may well hold them: then a missing command is only a warning.
    String maybe = includes ? " (unless an %include'd file gives it)" : "";
    if (sources.stream().noneMatch(given::containsKey)) {
      problem(
          1,
          includes ? Severity.WARNING : Severity.ERROR,
          "no install source; expected one of " + String.join(", ", sources) + maybe);
    }
    if (!given.containsKey("bootloader")) {
      problem(
          1,
          includes ? Severity.WARNING : Severity.ERROR,
          "no bootloader command; expected e.g. bootloader --location=mbr" + maybe);
    }
    if (!given.containsKey("rootpw")) {
      problem(
          1,
          includes ? Severity.WARNING : Severity.ERROR,
          "no rootpw command; expected rootpw --iscrypted HASH, or rootpw --lock with a"
              + " user --groups=wheel"
              + maybe);
    } else if (lockedRootLine > 0 && !wheelUser && !rootKey) {
      warning(
          lockedRootLine,
          "rootpw --lock and no user --groups=wheel or sshkey --username=root; nobody could"
              + " administer the machine");
    }
  }

  /** " ; did you mean X?" for the nearest candidate within two edits, or "". */
  private static String suggestion(String word, Set<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance && d < word.length()) {
        best = c;
        bestDistance = d;
      }
    }
    return best == null ? "" : "; did you mean " + best + "?";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private void error(int line, String message) {
    problem(line, Severity.ERROR, message);
  }

  private void warning(int line, String message) {
    problem(line, Severity.WARNING, message);
  }

  private void problem(int line, Severity severity, String message) {
    problems.add(new LintProblem(source, line, severity, message));
  }
}
