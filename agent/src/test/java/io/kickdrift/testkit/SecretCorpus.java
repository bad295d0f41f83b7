package io.kickdrift.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Secret values in their real surroundings, for the tests of inline secret detection and redaction
 * (docs/secrets.md): more than 200 values in more than 30 formats, each file the way an admin would
 * write it (comments, non-secret keys beside the secret ones), every value a random string of the
 * shape its format has (no {@code changeme}, nothing a placeholder rule could excuse).
 * Deterministic: the same seed gives the same bytes.
 *
 * <p>Example: {@code for (Seeded s : SecretCorpus.files(18)) write(root.resolve(s.path()...),
 * s.content())}, then after the scan assert that no {@link Seeded#needles() needle} is left in the
 * repository's objects. For a packaged conffile: {@code SecretCorpus.appendTo(path, original)} adds
 * secrets in the file's own syntax.
 */
public final class SecretCorpus {
  /** Base64 alphabet without padding, alphanumerics, and the crypt(3) alphabet. */
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private static final String CRYPT = "./" + ALNUM;
  private static final String BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

  /**
   * One file of the corpus.
   *
   * @param format what kind of file it is ({@code env}, {@code mycnf}, {@code pem-middle}, …)
   * @param path absolute path on the host, under /etc or /root (no path rule makes it secret as a
   *     whole, so each value must be found inside it)
   * @param content the file's bytes
   * @param values every secret value in {@code content}, exactly as it appears there (a key block
   *     is one value, from its first armor line to its last)
   */
  public record Seeded(String format, String path, byte[] content, List<String> values) {
    public Seeded {
      values = List.copyOf(values);
      String text = new String(content, StandardCharsets.ISO_8859_1);
      for (String v : values) {
        if (!text.contains(v)) {
          throw new IllegalStateException(path + ": seeded value not in its content: " + v);
        }
      }
    }

    /**
     * Distinctive pieces of the values to look for in whatever was committed: a one-line value
     * whole, a key block line by line (its armor lines and headers excepted, as they are the same
     * in every key and say nothing of it).
     */
    public List<String> needles() {
      Set<String> out = new LinkedHashSet<>();
      for (String v : values) {
        if (v.indexOf('\n') < 0) {
          out.add(v);
          continue;
        }
        for (String line : v.split("\n")) {
          String l = line.strip();
          if (l.length() >= 16 && !l.startsWith("-----") && !l.contains(": ")) {
            out.add(l);
          }
        }
      }
      return List.copyOf(out);
    }

    public String text() {
      return new String(content, StandardCharsets.ISO_8859_1);
    }
  }

  private SecretCorpus() {}

  /** The whole corpus: more than 200 values in more than 30 formats. */
  public static List<Seeded> files(long seed) {
    Gen g = new Gen(new Random(seed));
    List<Seeded> out = new ArrayList<>();
    for (Function<Gen, Seeded> f : FORMATS) {
      out.add(f.apply(g));
    }
    return List.copyOf(out);
  }

  /**
   * {@code original} (a packaged conffile's content) with secrets added at its end in the file's
   * own syntax, as an admin's edit would: a keyed value and a token in a comment. The syntax is
   * guessed from the name and the content (JSON, YAML, XML, TOML, properties, INI sections, {@code
   * key value} directives, {@code key = value}).
   */
  public static Seeded appendTo(String path, byte[] original) {
    return appendTo(path, original, path.hashCode());
  }

  public static Seeded appendTo(String path, byte[] original, long seed) {
    Gen g = new Gen(new Random(seed));
    String text = new String(original, StandardCharsets.ISO_8859_1);
    String pw = g.password(20);
    String token = g.github();
    List<String> values = List.of(pw, token);
    String name = path.substring(path.lastIndexOf('/') + 1);
    String style;
    String body;
    String nl = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
    if (name.endsWith(".json") && text.strip().endsWith("}")) {
      style = "json";
      int close = text.lastIndexOf('}');
      String before = text.substring(0, close).stripTrailing();
      String sep = before.endsWith("{") ? "" : ",";
      body =
          before
              + sep
              + "\n  \"api_password\": \""
              + pw
              + "\",\n  \"deploy_token\": \""
              + token
              + "\"\n"
              + text.substring(close);
      return new Seeded("appended-" + style, path, bytes(body), values);
    } else if (name.endsWith(".xml") && text.lastIndexOf("</") > 0) {
      style = "xml";
      int close = text.lastIndexOf("</");
      body =
          text.substring(0, close)
              + "  <!-- deploy token "
              + token
              + " -->\n  <password>"
              + pw
              + "</password>\n"
              + text.substring(close);
      return new Seeded("appended-" + style, path, bytes(body), values);
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      style = "yaml";
      body = "# deploy token " + token + "\ndb_password: \"" + pw + "\"\n";
    } else if (name.endsWith(".toml")) {
      style = "toml";
      body = "# deploy token " + token + "\napi_password = \"" + pw + "\"\n";
    } else if (name.endsWith(".properties")) {
      style = "properties";
      body = "# deploy token " + token + "\napp.datasource.password=" + pw + "\n";
    } else if (text.lines().anyMatch(l -> l.matches("\\s*\\[[^\\]]+\\]\\s*"))) {
      style = "ini";
      body = "# deploy token " + token + "\npassword = " + pw + "\n";
    } else if (text.lines().anyMatch(l -> l.matches("\\s*[A-Za-z_][A-Za-z0-9_.-]*\\s*=.*"))) {
      style = "key-equals";
      body = "# deploy token " + token + "\nhttp_password = " + pw + "\n";
    } else {
      style = "directive";
      body = "# deploy token " + token + "\nmasterauth " + pw + "\n";
    }
    return new Seeded("appended-" + style, path, bytes(text + nl + body), values);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Random shapes; one instance per corpus so the sequence is fixed by the seed. */
  static final class Gen {
    final Random r;

    Gen(Random r) {
      this.r = r;
    }

    String of(String alphabet, int n) {
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      return b.toString();
    }

    /** Letters and digits with at least one of each, so it never reads as a number or a word. */
    String alnum(int n) {
      String s = of(ALNUM, n - 2);
      return of("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 1) + s + of("23456789", 1);
    }

    /** A password an admin would pick with a generator: letters, digits, a few of -_.+%!. */
    String password(int n) {
      StringBuilder b = new StringBuilder(alnum(n));
      for (int i = 0; i < 3; i++) {
        b.setCharAt(1 + r.nextInt(n - 2), "-_.+%!".charAt(r.nextInt(6)));
      }
      return b.toString();
    }

    /** A password safe inside a URL's user info, INI and unquoted shell: letters, digits, -_. */
    String urlPassword(int n) {
      StringBuilder b = new StringBuilder(alnum(n));
      b.setCharAt(1 + r.nextInt(n - 2), "-_.".charAt(r.nextInt(3)));
      return b.toString();
    }

    byte[] random(int n) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      return b;
    }

    String hex(int n) {
      return HexFormat.of().formatHex(random((n + 1) / 2)).substring(0, n);
    }

    String b64(int nbytes) {
      return Base64.getEncoder().encodeToString(random(nbytes));
    }

    String b64url(byte[] b) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String uuid() {
      return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    String digits(int n) {
      return of("123456789", 1) + of("0123456789", n - 1);
    }

    String awsId() {
      return "AKIA" + of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    }

    String awsSecret() {
      return of(ALNUM + "+/", 40);
    }

    String github() {
      String[] p = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"};
      return p[r.nextInt(p.length)] + alnum(36);
    }

    String githubPat() {
      return "github_pat_" + alnum(22) + "_" + alnum(59);
    }

    String glpat() {
      return "glpat-" + of(ALNUM + "-_", 19) + of(ALNUM, 1);
    }

    String slackToken() {
      String[] p = {"xoxb-", "xoxp-", "xoxa-"};
      return p[r.nextInt(p.length)] + digits(12) + "-" + digits(13) + "-" + alnum(24);
    }

    String slackHook() {
      return "https://hooks.slack.com/services/T"
          + of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10)
          + "/B"
          + of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10)
          + "/"
          + alnum(24);
    }

    String discordHook() {
      return "https://discord.com/api/webhooks/" + digits(19) + "/" + of(ALNUM + "-_", 68);
    }

    String teamsHook() {
      return "https://contoso.webhook.office.com/webhookb2/"
          + uuid()
          + "@"
          + uuid()
          + "/IncomingWebhook/"
          + hex(32)
          + "/"
          + uuid();
    }

    String jwt() {
      String header = b64url(bytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
      String payload =
          b64url(
              bytes(
                  "{\"sub\":\"svc-"
                      + alnum(8)
                      + "\",\"iat\":"
                      + (1700000000 + r.nextInt(50000000))
                      + ",\"scope\":\"deploy\"}"));
      return header + "." + payload + "." + b64url(random(32));
    }

    String ageKey() {
      return "AGE-SECRET-KEY-1" + of(BECH32, 58);
    }

    String wgKey() {
      return b64(32);
    }

    String sha512crypt() {
      return "$6$" + of(CRYPT, 16) + "$" + of(CRYPT, 86);
    }

    String sha256crypt() {
      return "$5$" + of(CRYPT, 16) + "$" + of(CRYPT, 43);
    }

    String md5crypt() {
      return "$1$" + of(CRYPT, 8) + "$" + of(CRYPT, 22);
    }

    String apr1() {
      return "$apr1$" + of(CRYPT, 8) + "$" + of(CRYPT, 22);
    }

    String yescrypt() {
      return "$y$j9T$" + of(CRYPT, 22) + "$" + of(CRYPT, 43);
    }

    String bcrypt() {
      String[] v = {"2a", "2b", "2y"};
      return "$" + v[r.nextInt(3)] + "$" + (10 + r.nextInt(3)) + "$" + of(CRYPT, 53);
    }

    String argon2() {
      return "$argon2id$v=19$m=65536,t=3,p=4$"
          + b64url(random(16))
          + "$"
          + Base64.getEncoder().withoutPadding().encodeToString(random(32));
    }

    /**
     * Base64 lines of {@code width} over {@code nbytes} random bytes that start with {@code head}.
     */
    String armorBody(String head, int nbytes, int width) {
      String b = head + b64(nbytes);
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < b.length(); i += width) {
        out.append(b, i, Math.min(b.length(), i + width)).append('\n');
      }
      return out.toString();
    }

    String pem(String type, int nbytes) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + armorBody("MII", nbytes, 64)
          + "-----END "
          + type
          + "-----";
    }

    String openssh() {
      return "-----BEGIN OPENSSH PRIVATE KEY-----\n"
          + armorBody(
              "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 320, 70)
          + "-----END OPENSSH PRIVATE KEY-----";
    }

    String pgp() {
      return "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
          + armorBody("lQdGBG", 900, 64)
          + "="
          + of(ALNUM, 4)
          + "\n-----END PGP PRIVATE KEY BLOCK-----";
    }
  }

  // ---- the formats, each a file; their order is part of the seed's meaning ----

  private static final List<Function<Gen, Seeded>> FORMATS =
      List.of(
          SecretCorpus::envFile,
          SecretCorpus::shellDefaults,
          SecretCorpus::mycnf,
          SecretCorpus::netrcOneLine,
          SecretCorpus::netrcMultiLine,
          SecretCorpus::pgpass,
          SecretCorpus::yaml,
          SecretCorpus::json,
          SecretCorpus::toml,
          SecretCorpus::properties,
          SecretCorpus::xmlElements,
          SecretCorpus::xmlAttributes,
          SecretCorpus::ini,
          SecretCorpus::htpasswd,
          SecretCorpus::nginxAuthHeader,
          SecretCorpus::systemdEnvironment,
          SecretCorpus::wireguard,
          SecretCorpus::ageKeyFile,
          SecretCorpus::putty,
          SecretCorpus::pgpBlock,
          SecretCorpus::opensshAfterFiller,
          SecretCorpus::pemInMiddle,
          SecretCorpus::urlUserinfo,
          SecretCorpus::httpHeaders,
          SecretCorpus::shadowCopy,
          SecretCorpus::hashesYaml,
          SecretCorpus::jwtFile,
          SecretCorpus::awsCredentials,
          SecretCorpus::gcpServiceAccount,
          SecretCorpus::githubTokens,
          SecretCorpus::gitlabToml,
          SecretCorpus::webhooks,
          SecretCorpus::slackEnv,
          SecretCorpus::dockerConfig,
          SecretCorpus::redisDirectives,
          SecretCorpus::sambaCredentials,
          SecretCorpus::ldapBind,
          SecretCorpus::kubeconfig,
          SecretCorpus::npmrc,
          SecretCorpus::gitCredentials,
          SecretCorpus::dsnLine,
          SecretCorpus::manyServicesEnv,
          SecretCorpus::connectorsIni,
          SecretCorpus::tokensInProse);

  private static Seeded seeded(String format, String path, StringBuilder text, List<String> v) {
    return new Seeded(format, path, bytes(text.toString()), v);
  }

  private static Seeded envFile(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# database settings for the app (deployed by hand)\n");
    t.append("DB_HOST=db1.internal\nDB_PORT=5432\nDB_USER=app\n");
    t.append("DB_PASSWORD=").append(add(v, g.password(22))).append('\n');
    t.append("export API_TOKEN=\"").append(add(v, g.alnum(40))).append("\"\n");
    t.append("SECRET_KEY='").append(add(v, g.password(50))).append("'\n");
    t.append("REDIS_PASSWORD=").append(add(v, g.urlPassword(24))).append('\n');
    t.append("SESSION_SECRET=\"").append(add(v, g.hex(64))).append("\"\n");
    t.append("export SMTP_PASS=").append(add(v, g.password(16))).append('\n');
    t.append("LOG_LEVEL=info\nPASSWORD_MIN_LENGTH=12\nTOKEN_TTL=3600\n");
    return seeded("env", "/etc/app/db.env", t, v);
  }

  private static Seeded shellDefaults(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t =
        new StringBuilder("# Defaults for myapp initscript\n# sourced by /etc/init.d/myapp\n\n");
    t.append("MYAPP_ENABLED=yes\nMYAPP_OPTS=\"--port 8080 --workers 4\"\n");
    t.append("export MYAPP_DB_PASS=\"").append(add(v, g.password(18))).append("\"\n");
    t.append("  MYAPP_ADMIN_PASSWORD='").append(add(v, g.password(14))).append("'\n");
    t.append("export MYAPP_LICENSE_KEY=").append(add(v, g.alnum(32))).append('\n');
    t.append("MYAPP_PASSWORD_FILE=/etc/myapp/pass\n");
    return seeded("shell", "/etc/default/myapp", t, v);
  }

  private static Seeded mycnf(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# client credentials for cron backups\n[client]\n");
    t.append("user = backup\nhost = localhost\n");
    t.append("password = ").append(add(v, g.urlPassword(20))).append('\n');
    t.append("\n[mysqldump]\nuser=dump\npassword=\"").append(add(v, g.password(24))).append("\"\n");
    t.append("quick\nmax_allowed_packet = 64M\n\n[mysql]\npassword='")
        .append(add(v, g.password(16)))
        .append("'\n");
    return seeded("mycnf", "/etc/mysql/conf.d/client.cnf", t, v);
  }

  private static Seeded netrcOneLine(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    String[] hosts = {
      "ftp.example.net",
      "api.github.com",
      "nexus.internal",
      "backup.example.org",
      "ftp.internal",
      "dav.example.com"
    };
    for (String h : hosts) {
      t.append("machine ").append(h).append(" login deploy password ");
      t.append(add(v, g.urlPassword(20))).append('\n');
    }
    t.append("default login anonymous password ").append(add(v, g.urlPassword(12))).append('\n');
    return seeded("netrc", "/root/.netrc", t, v);
  }

  private static Seeded netrcMultiLine(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    for (String h :
        new String[] {"mirror.example.com", "artifacts.internal", "files.example.org"}) {
      t.append("machine ").append(h).append("\n  login svc\n  password ");
      t.append(add(v, g.urlPassword(18))).append("\n\n");
    }
    t.append("machine git.internal\n\tlogin ci\n\taccount ops\n\tpassword ")
        .append(add(v, g.urlPassword(30)))
        .append('\n');
    return seeded("netrc-multiline", "/etc/skel/.netrc", t, v);
  }

  private static Seeded pgpass(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# hostname:port:database:username:password\n");
    String[] lines = {
      "localhost:5432:app:app:",
      "db1.internal:5432:*:replicator:",
      "*:*:*:backup:",
      "10.0.0.12:6432:billing:billing:",
      "db2.internal:*:reports:reader:"
    };
    for (String l : lines) {
      t.append(l).append(add(v, g.password(20))).append('\n');
    }
    return seeded("pgpass", "/root/.pgpass", t, v);
  }

  private static Seeded yaml(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("---\n# service configuration\nserver:\n  port: 8443\n");
    t.append("database:\n  host: db1.internal\n  user: app\n");
    t.append("  password: ").append(add(v, g.password(20))).append('\n');
    t.append("  password_file: /run/secrets/db\napi:\n");
    t.append("  api_key: \"").append(add(v, g.alnum(32))).append("\"\n");
    t.append("  client_secret: '").append(add(v, g.password(40))).append("'\n");
    t.append("  token_lifetime: 3600\n  tokenUrl: https://auth.example.com/token\n");
    t.append("mail:\n  smtp:\n    pass: ")
        .append(add(v, g.urlPassword(16)))
        .append("  # rotated 2024\n");
    t.append("oauth:\n  - name: github\n    clientSecret: ").append(add(v, g.hex(40))).append('\n');
    t.append("  - name: internal\n    secret: \"").append(add(v, g.password(32))).append("\"\n");
    return seeded("yaml", "/etc/app/config.yaml", t, v);
  }

  private static Seeded json(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("{\n  \"listen\": \"0.0.0.0:9000\",\n  \"db\": {\n");
    t.append("    \"user\": \"app\",\n    \"password\": \"")
        .append(add(v, g.password(22)))
        .append("\"\n  },\n");
    t.append("  \"apiToken\": \"").append(add(v, g.alnum(40))).append("\",\n");
    t.append("  \"secrets\": {\"signing_secret\": \"").append(add(v, g.hex(64))).append("\", ");
    t.append("\"encryption_key\": \"").append(add(v, g.b64(32))).append("\"},\n");
    t.append("  \"tokenExpiry\": 900,\n  \"passwordPolicy\": {\"minLength\": 12},\n");
    t.append("  \"smtp\": {\"host\": \"mail\", \"pass\": \"")
        .append(add(v, g.password(18)))
        .append("\"}\n}\n");
    return seeded("json", "/etc/app/config.json", t, v);
  }

  private static Seeded toml(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# app settings\ntitle = \"billing\"\n\n[database]\n");
    t.append("url = \"postgres://db1/billing\"\npassword = \"")
        .append(add(v, g.password(24)))
        .append("\"\n");
    t.append("\n[auth]\ntoken = '").append(add(v, g.alnum(48))).append("'\n");
    t.append("secret_key = \"").append(add(v, g.b64(48))).append("\"\ntoken_ttl = 600\n");
    t.append("\n[[upstreams]]\nname = \"a\"\napi_key = \"")
        .append(add(v, g.hex(32)))
        .append("\"\n");
    return seeded("toml", "/etc/app/config.toml", t, v);
  }

  private static Seeded properties(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# Spring Boot overrides\nserver.port=8080\n");
    t.append("spring.datasource.url=jdbc:postgresql://db1/app\nspring.datasource.username=app\n");
    t.append("spring.datasource.password=").append(add(v, g.password(20))).append('\n');
    t.append("javax.net.ssl.keyStorePassword = ").append(add(v, g.urlPassword(16))).append('\n');
    t.append("app.jwt.secret: ").append(add(v, g.b64(48))).append('\n');
    t.append("mail.smtp.password=").append(add(v, g.password(14))).append('\n');
    t.append("security.oauth2.client.client-secret=").append(add(v, g.alnum(36))).append('\n');
    t.append("app.token.validity=86400\n");
    return seeded("properties", "/etc/app/application.properties", t, v);
  }

  private static Seeded xmlElements(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<settings>\n  <servers>\n");
    for (String id : new String[] {"releases", "snapshots", "thirdparty"}) {
      t.append("    <server>\n      <id>")
          .append(id)
          .append("</id>\n      <username>deploy</username>\n");
      t.append("      <password>")
          .append(add(v, g.password(20)))
          .append("</password>\n    </server>\n");
    }
    t.append("  </servers>\n  <apiToken>")
        .append(add(v, g.alnum(40)))
        .append("</apiToken>\n</settings>\n");
    return seeded("xml-element", "/etc/maven/settings.xml", t, v);
  }

  private static Seeded xmlAttributes(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("<?xml version=\"1.0\"?>\n<Context>\n");
    t.append("  <Resource name=\"jdbc/app\" auth=\"Container\" type=\"javax.sql.DataSource\"\n");
    t.append("            username=\"app\" password=\"")
        .append(add(v, g.password(20)))
        .append("\"\n");
    t.append("            url=\"jdbc:mysql://db1/app\"/>\n");
    t.append("  <Realm className=\"x.Realm\" connectionPassword='")
        .append(add(v, g.password(16)))
        .append("'/>\n");
    t.append("  <Parameter name=\"api\" secret=\"")
        .append(add(v, g.hex(40)))
        .append("\" />\n</Context>\n");
    return seeded("xml-attribute", "/etc/tomcat9/Catalina/localhost/app.xml", t, v);
  }

  private static Seeded ini(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("; app.ini\n[server]\nhttp_port = 3000\n\n[database]\n");
    t.append("type = postgres\nuser = gitea\nPASSWD = ")
        .append(add(v, g.urlPassword(20)))
        .append('\n');
    t.append("\n[security]\nSECRET_KEY = ").append(add(v, g.alnum(64))).append('\n');
    t.append("INTERNAL_TOKEN = ").append(add(v, g.jwt())).append('\n');
    t.append("PASSWORD_COMPLEXITY = lower,upper\nINSTALL_LOCK = true\n");
    t.append("\n[mailer]\nPASSWD = `").append(add(v, g.password(16))).append("`\n");
    t.append("\n[oauth2]\nJWT_SECRET = ").append(add(v, g.b64url(g.random(32)))).append('\n');
    return seeded("ini", "/etc/gitea/app.ini", t, v);
  }

  private static Seeded htpasswd(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    t.append("admin:").append(add(v, g.apr1())).append('\n');
    t.append("ops:").append(add(v, g.bcrypt())).append('\n');
    t.append("monitor:").append(add(v, g.sha512crypt())).append('\n');
    t.append("deploy:").append(add(v, g.apr1())).append('\n');
    return seeded("htpasswd", "/etc/apache2/.htpasswd", t, v);
  }

  private static Seeded nginxAuthHeader(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("upstream backend { server 10.0.0.5:8080; }\n\nserver {\n");
    t.append("    listen 443 ssl;\n    location /api/ {\n        proxy_pass http://backend;\n");
    t.append("        proxy_set_header Authorization \"Basic ")
        .append(add(v, g.b64(24)))
        .append("\";\n");
    t.append("    }\n    location /metrics {\n        proxy_set_header Authorization \"Bearer ")
        .append(add(v, g.alnum(40)))
        .append("\";\n        auth_basic_user_file /etc/nginx/.htpasswd;\n    }\n}\n");
    return seeded("nginx-auth-header", "/etc/nginx/conf.d/backend.conf", t, v);
  }

  private static Seeded systemdEnvironment(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("[Service]\nEnvironment=\"RUST_LOG=info\"\n");
    t.append("Environment=\"DB_PASSWORD=").append(add(v, g.password(20))).append("\"\n");
    t.append("Environment=API_TOKEN=").append(add(v, g.alnum(40))).append('\n');
    t.append("Environment=\"MODE=prod\" \"WEBHOOK_SECRET=")
        .append(add(v, g.hex(40)))
        .append("\"\n");
    t.append("ExecStart=\nExecStart=/usr/bin/app --listen :8080\n");
    return seeded("systemd-environment", "/etc/systemd/system/app.service.d/override.conf", t, v);
  }

  private static Seeded wireguard(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("[Interface]\nAddress = 10.8.0.1/24\nListenPort = 51820\n");
    t.append("PrivateKey = ").append(add(v, g.wgKey())).append('\n');
    for (int i = 0; i < 2; i++) {
      t.append("\n[Peer]\nPublicKey = ").append(g.wgKey()).append('\n');
      t.append("PresharedKey = ").append(add(v, g.wgKey())).append('\n');
      t.append("AllowedIPs = 10.8.0.").append(i + 2).append("/32\n");
    }
    return seeded("wireguard", "/etc/wireguard/wg0.conf", t, v);
  }

  private static Seeded ageKeyFile(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# created: 2024-03-01T10:00:00Z\n");
    t.append("# public key: age1").append(g.of(BECH32.toLowerCase(), 58)).append('\n');
    t.append(add(v, g.ageKey())).append('\n');
    return seeded("age-key", "/etc/sops/age/keys.txt", t, v);
  }

  private static Seeded putty(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n");
    t.append("Comment: deploy@bastion\n");
    String pub = g.armorBody("AAAAB3NzaC1yc2EAAAADAQABAAABAQ", 250, 64);
    t.append("Public-Lines: ").append(pub.split("\n").length).append('\n').append(pub);
    String priv = g.armorBody("AAABAQ", 900, 64);
    t.append("Private-Lines: ").append(priv.split("\n").length).append('\n');
    t.append(add(v, priv.substring(0, priv.length() - 1))).append('\n');
    t.append("Private-MAC: ").append(add(v, g.hex(64))).append('\n');
    return seeded("putty-ppk", "/etc/app/deploy.ppk", t, v);
  }

  private static Seeded pgpBlock(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("Backup signing key, exported for the restore host.\n\n");
    t.append(add(v, g.pgp())).append("\n\nImport with: gpg --import\n");
    return seeded("pgp-private-key", "/etc/app/backup-signing.asc", t, v);
  }

  private static Seeded opensshAfterFiller(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    int n = 0;
    while (t.length() <= 17 * 1024) {
      t.append("# inventory line ")
          .append(n++)
          .append(": host-")
          .append(g.hex(8))
          .append(" rack 4\n");
    }
    t.append(add(v, g.openssh())).append('\n');
    return seeded("openssh-after-16k", "/etc/app/bundle.txt", t, v);
  }

  private static Seeded pemInMiddle(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# chain and key for the internal proxy\n");
    // A certificate is public: it is there to be left alone.
    t.append("-----BEGIN CERTIFICATE-----\n").append(g.armorBody("MII", 600, 64));
    t.append("-----END CERTIFICATE-----\n");
    t.append(add(v, g.pem("RSA PRIVATE KEY", 1190))).append('\n');
    t.append("-----BEGIN CERTIFICATE-----\n").append(g.armorBody("MII", 600, 64));
    t.append("-----END CERTIFICATE-----\n");
    t.append(add(v, g.pem("PRIVATE KEY", 120))).append('\n');
    t.append(add(v, g.pem("EC PRIVATE KEY", 110))).append('\n');
    t.append(add(v, g.pem("ENCRYPTED PRIVATE KEY", 1250))).append('\n');
    return seeded("pem-middle", "/etc/haproxy/certs/internal.pem", t, v);
  }

  private static Seeded urlUserinfo(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# connection strings\n");
    t.append("DATABASE_URL=postgres://app:")
        .append(add(v, g.urlPassword(20)))
        .append("@db1.internal:5432/app\n");
    t.append("AMQP_URL=amqp://worker:").append(add(v, g.urlPassword(16))).append("@rabbit/vhost\n");
    t.append("CACHE_URL=redis://:").append(add(v, g.urlPassword(24))).append("@cache:6379/0\n");
    t.append("MIRROR=https://mirror:")
        .append(add(v, g.urlPassword(18)))
        .append("@repo.example.com/debian\n");
    t.append("mongo_uri = \"mongodb+srv://admin:")
        .append(add(v, g.urlPassword(22)))
        .append("@cluster0.example.net/?retryWrites=true\"\n");
    t.append("HOMEPAGE=https://www.example.com/about\n");
    return seeded("url-userinfo", "/etc/app/urls.conf", t, v);
  }

  private static Seeded httpHeaders(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# extra headers sent by the poller\n");
    t.append("Accept: application/json\n");
    t.append("Authorization: Basic ").append(add(v, g.b64(30))).append('\n');
    t.append("Authorization: Bearer ").append(add(v, g.alnum(48))).append('\n');
    t.append("Proxy-Authorization: Basic ").append(add(v, g.b64(21))).append('\n');
    t.append("authorization: token ").append(add(v, g.hex(40))).append('\n');
    t.append("header = \"Authorization: Bearer ").append(add(v, g.jwt())).append("\"\n");
    return seeded("http-authorization", "/etc/app/http-headers.conf", t, v);
  }

  private static Seeded shadowCopy(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t =
        new StringBuilder("root:").append(add(v, g.yescrypt())).append(":19500:0:99999:7:::\n");
    t.append("daemon:*:19500:0:99999:7:::\nbin:*:19500:0:99999:7:::\n");
    t.append("alice:").append(add(v, g.sha512crypt())).append(":19501:0:99999:7:::\n");
    t.append("bob:").append(add(v, g.sha256crypt())).append(":19502:0:99999:7:::\n");
    t.append("carol:").append(add(v, g.md5crypt())).append(":19503:0:99999:7:::\n");
    t.append("dave:").append(add(v, g.bcrypt())).append(":19504:0:99999:7:::\n");
    t.append("erin:").append(add(v, g.yescrypt())).append(":19505:0:99999:7:::\n");
    for (int i = 0; i < 10; i++) {
      String h = i % 3 == 0 ? g.sha512crypt() : i % 3 == 1 ? g.yescrypt() : g.bcrypt();
      t.append("svc").append(i).append(':').append(add(v, h)).append(":19506:0:99999:7:::\n");
    }
    t.append("nobody:!:19500::::::\n");
    return seeded("shadow-hashes", "/etc/app/shadow.bak", t, v);
  }

  private static Seeded hashesYaml(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("users:\n");
    for (String u : new String[] {"admin", "viewer", "ci"}) {
      t.append("  - name: ").append(u).append("\n    password_hash: \"");
      t.append(add(v, g.argon2())).append("\"\n");
    }
    t.append("  - name: legacy\n    hash: '").append(add(v, g.bcrypt())).append("'\n");
    return seeded("argon2-bcrypt-yaml", "/etc/app/users.yaml", t, v);
  }

  private static Seeded jwtFile(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder(add(v, g.jwt())).append('\n');
    return seeded("jwt", "/etc/app/service-account.token", t, v);
  }

  private static Seeded awsCredentials(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("[default]\n");
    t.append("aws_access_key_id = ").append(add(v, g.awsId())).append('\n');
    t.append("aws_secret_access_key = ").append(add(v, g.awsSecret())).append('\n');
    t.append("region = eu-west-1\n\n[backup]\n");
    t.append("aws_access_key_id=")
        .append(add(v, "ASIA" + g.of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)))
        .append('\n');
    t.append("aws_secret_access_key=").append(add(v, g.awsSecret())).append('\n');
    t.append("aws_session_token=").append(add(v, g.b64(300))).append('\n');
    return seeded("aws-credentials", "/root/.aws/credentials", t, v);
  }

  private static Seeded gcpServiceAccount(Gen g) {
    List<String> v = new ArrayList<>();
    String pem = g.pem("PRIVATE KEY", 1190).replace("\n", "\\n") + "\\n";
    StringBuilder t =
        new StringBuilder(
            "{\n  \"type\": \"service_account\",\n  \"project_id\": \"ops-prod-4821\",\n");
    // The key id names the key; it is not secret.
    t.append("  \"private_key_id\": \"").append(g.hex(40)).append("\",\n");
    t.append("  \"private_key\": \"").append(add(v, pem)).append("\",\n");
    t.append("  \"client_email\": \"backup@ops-prod-4821.iam.gserviceaccount.com\",\n");
    t.append("  \"client_id\": \"").append(g.digits(21)).append("\",\n");
    t.append("  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n");
    return seeded("gcp-service-account", "/etc/app/gcp-sa.json", t, v);
  }

  private static Seeded githubTokens(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# name\ttoken (rotate quarterly)\n");
    for (int i = 0; i < 14; i++) {
      t.append("runner-").append(i).append('\t').append(add(v, g.github())).append('\n');
    }
    for (int i = 0; i < 3; i++) {
      t.append("fine-").append(i).append('\t').append(add(v, g.githubPat())).append('\n');
    }
    return seeded("github-token", "/etc/app/tokens.list", t, v);
  }

  private static Seeded gitlabToml(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("concurrent = 4\n\n[[runners]]\n  name = \"builder\"\n");
    t.append("  url = \"https://gitlab.example.com/\"\n");
    t.append("  private_token = \"").append(add(v, g.glpat())).append("\"\n");
    t.append("  # old one: ").append(add(v, g.glpat())).append('\n');
    t.append("  executor = \"docker\"\n");
    return seeded("gitlab-token", "/etc/gitlab-runner/extra.toml", t, v);
  }

  private static Seeded webhooks(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t =
        new StringBuilder("global:\n  slack_api_url: '")
            .append(add(v, g.slackHook()))
            .append("'\n");
    t.append("receivers:\n  - name: ops\n    slack_configs:\n      - channel: '#ops'\n");
    t.append("        api_url: ").append(add(v, g.slackHook())).append('\n');
    t.append("  - name: discord\n    webhook_configs:\n      - url: ")
        .append(add(v, g.discordHook()))
        .append('\n');
    t.append("  - name: teams\n    webhook_configs:\n      - url: \"")
        .append(add(v, g.teamsHook()))
        .append("\"\n");
    return seeded("webhooks", "/etc/prometheus/alertmanager.yml", t, v);
  }

  private static Seeded slackEnv(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("SLACK_CHANNEL=#alerts\n");
    t.append("SLACK_BOT_TOKEN=").append(add(v, g.slackToken())).append('\n');
    t.append("NOTIFY_VIA=").append(add(v, g.slackToken())).append('\n');
    return seeded("slack-token", "/etc/default/notifier", t, v);
  }

  private static Seeded dockerConfig(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("{\n  \"auths\": {\n");
    t.append("    \"registry.example.com\": {\"auth\": \"")
        .append(add(v, g.b64(27)))
        .append("\"},\n");
    t.append("    \"ghcr.io\": {\n      \"auth\": \"")
        .append(add(v, g.b64(45)))
        .append("\"\n    }\n  },\n");
    t.append("  \"credsStore\": \"\",\n  \"detachKeys\": \"ctrl-e,e\"\n}\n");
    return seeded("docker-config", "/root/.docker/config.json", t, v);
  }

  private static Seeded redisDirectives(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# local overrides\nbind 127.0.0.1\nport 6379\n");
    t.append("requirepass ").append(add(v, g.password(32))).append('\n');
    t.append("masterauth ").append(add(v, g.password(32))).append('\n');
    return seeded("redis-directives", "/etc/redis/local.conf", t, v);
  }

  private static Seeded sambaCredentials(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("username=backup\n");
    t.append("password=").append(add(v, g.password(18))).append("\ndomain=CORP\n");
    return seeded("cifs-credentials", "/etc/samba/credentials/nas.cred", t, v);
  }

  private static Seeded ldapBind(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t =
        new StringBuilder("[domain/corp]\nid_provider = ldap\nldap_uri = ldaps://ldap.corp\n");
    t.append("ldap_default_bind_dn = cn=sssd,dc=corp\nldap_default_authtok_type = password\n");
    t.append("ldap_default_authtok = ").append(add(v, g.password(20))).append('\n');
    t.append("\n# nslcd style\nbindpw ").append(add(v, g.urlPassword(16))).append('\n');
    t.append("rootpw ").append(add(v, "{SSHA}" + g.b64(24))).append('\n');
    return seeded("ldap-bind", "/etc/sssd/conf.d/corp.conf", t, v);
  }

  private static Seeded kubeconfig(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n");
    t.append("    certificate-authority-data: ").append(g.b64(600)).append('\n');
    t.append("    server: https://10.0.0.1:6443\n  name: prod\nusers:\n- name: admin\n  user:\n");
    t.append("    client-key-data: ").append(add(v, g.b64(1200))).append('\n');
    t.append("- name: ci\n  user:\n    token: ").append(add(v, g.jwt())).append('\n');
    return seeded("kubeconfig", "/root/.kube/config", t, v);
  }

  private static Seeded npmrc(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("registry=https://registry.npmjs.org/\n");
    t.append("//registry.npmjs.org/:_authToken=").append(add(v, "npm_" + g.alnum(36))).append('\n');
    t.append("//npm.internal/:_password=").append(add(v, g.b64(15))).append('\n');
    return seeded("npmrc", "/root/.npmrc", t, v);
  }

  private static Seeded gitCredentials(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    t.append("https://deploy:").append(add(v, g.github())).append("@github.com\n");
    t.append("https://ci:").append(add(v, g.glpat())).append("@gitlab.example.com\n");
    t.append("https://svc:").append(add(v, g.urlPassword(24))).append("@git.internal\n");
    return seeded("git-credentials", "/root/.git-credentials", t, v);
  }

  private static Seeded dsnLine(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# dovecot SQL\ndriver = pgsql\n");
    t.append("connect = host=db1 dbname=mail user=dovecot password=")
        .append(add(v, g.urlPassword(20)))
        .append('\n');
    t.append("dsn = \"host=db2 port=5432 user=app password=")
        .append(add(v, g.urlPassword(18)))
        .append(" sslmode=require\"\n");
    return seeded("dsn", "/etc/dovecot/dovecot-sql.conf.ext", t, v);
  }

  private static Seeded manyServicesEnv(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("# one line per service, read by systemd --user units\n");
    String[] svc = {
      "GRAFANA",
      "MINIO",
      "KEYCLOAK",
      "SENTRY",
      "NEXTCLOUD",
      "MATRIX",
      "DRONE",
      "VAULT",
      "HARBOR",
      "ZABBIX"
    };
    for (String s : svc) {
      t.append(s).append("_URL=https://").append(s.toLowerCase()).append(".internal\n");
      t.append(s).append("_ADMIN_PASSWORD=").append(add(v, g.password(20))).append('\n');
      t.append(s).append("_API_TOKEN=\"").append(add(v, g.alnum(40))).append("\"\n");
    }
    return seeded("environment-d", "/etc/environment.d/90-services.conf", t, v);
  }

  private static Seeded connectorsIni(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("; connectors of the ETL job\n");
    for (int i = 0; i < 8; i++) {
      t.append("\n[source_").append(i).append("]\nhost = src").append(i).append(".internal\n");
      t.append("username = etl\npassword = ").append(add(v, g.urlPassword(18))).append('\n');
      t.append("api_key = ").append(add(v, g.hex(32))).append("\ntimeout = 30\n");
    }
    return seeded("ini-sections", "/etc/etl/connectors.ini", t, v);
  }

  private static Seeded tokensInProse(Gen g) {
    List<String> v = new ArrayList<>();
    StringBuilder t = new StringBuilder("Handover notes for the on-call admin\n\n");
    t.append("- the old deploy key was ").append(add(v, g.awsId())).append(", revoked\n");
    t.append("- alerts go to ").append(add(v, g.slackHook())).append(" (channel #ops)\n");
    t.append("- CI token (until May): ").append(add(v, g.githubPat())).append('\n');
    t.append("- sops key: ").append(add(v, g.ageKey())).append('\n');
    t.append("- test session: ").append(add(v, g.jwt())).append('\n');
    t.append("- GitLab: ").append(add(v, g.glpat())).append(" expires in 30 days\n");
    return seeded("tokens-in-prose", "/etc/app/HANDOVER.txt", t, v);
  }

  private static String add(List<String> values, String v) {
    values.add(v);
    return v;
  }
}
