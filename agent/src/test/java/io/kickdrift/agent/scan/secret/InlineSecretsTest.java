package io.kickdrift.agent.scan.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each rule finds its format's value (the span is the value only) and leaves its near misses:
 * placeholders, references, settings named like secrets, commented examples.
 */
class InlineSecretsTest {
  private final InlineSecrets secrets = InlineSecrets.builtIn();

  /** {@code rule key=value @line} for each match, the value cut from the content by its span. */
  private List<String> found(String path, String text) {
    return secrets.find(path, text.getBytes(StandardCharsets.ISO_8859_1)).stream()
        .map(
            m ->
                m.rule()
                    + " "
                    + m.key()
                    + "="
                    + text.substring(m.start(), m.end())
                    + " @"
                    + m.line())
        .toList();
  }

  private List<String> found(String text) {
    return found("/etc/app/x.conf", text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "DB_PASSWORD=Zq8.vR2_kLm4                 | kv-password DB_PASSWORD=Zq8.vR2_kLm4 @1",
        "export API_TOKEN=\"a8F3kD9qL2mN\"         | kv-secret API_TOKEN=a8F3kD9qL2mN @1",
        "  SECRET_KEY='x9!Kd 2;p'                 | kv-secret SECRET_KEY=x9!Kd 2;p @1",
        "password = hunter2 # rotated             | kv-password password=hunter2 @1",
        "password: \"s3cr3t: with colon\"         | kv-password password=s3cr3t: with colon @1",
        "  client_secret: 'Wq2kd8Lq'              | kv-secret client_secret=Wq2kd8Lq @1",
        "spring.datasource.password=Lk2p9Qz       | kv-password spring.datasource.password=Lk2p9Qz @1",
        "app.jwt.secret: Ab3dE5fG7h               | kv-secret app.jwt.secret=Ab3dE5fG7h @1",
        "\"apiToken\": \"Tk9sL2qP0z\",            | kv-secret apiToken=Tk9sL2qP0z @1",
        "token = 'Qm3kL9pZ2x'                     | kv-secret token=Qm3kL9pZ2x @1",
        "<password>P4ss.W0rd-99</password>        | kv-password password=P4ss.W0rd-99 @1",
        "<Resource password=\"Pq7.kL2m\" url=\"x\"/> | kv-password password=Pq7.kL2m @1",
        "Environment=\"DB_PASSWORD=Kd8s.P2q\"     | kv-password DB_PASSWORD=Kd8s.P2q @1",
        "connect = host=db user=x password=Lq2.k9Z | kv-password password=Lq2.k9Z @1",
        "requirepass Xk29.qLmZ                    | kv-password requirepass=Xk29.qLmZ @1",
        "bindpw Xk29qLmZ                          | kv-password bindpw=Xk29qLmZ @1",
        "secret \"c2VjcmV0IGtleSBmb3IgdHNpZw==\"; | kv-secret secret=c2VjcmV0IGtleSBmb3IgdHNpZw== @1",
        "//registry.npmjs.org/:_authToken=Zk2Lq9P | kv-secret //registry.npmjs.org/:_authToken=Zk2Lq9P @1",
        "api_key = 3f9a7c21d4e8b06f3f9a7c21d4e8b06f | kv-secret api_key=3f9a7c21d4e8b06f3f9a7c21d4e8b06f @1",
        "license_key = Zx8Qk2Lm9Pw3               | kv-secret license_key=Zx8Qk2Lm9Pw3 @1",
        "encryption.key = Zx8Qk2Lm9Pw3Ab          | kv-secret encryption.key=Zx8Qk2Lm9Pw3Ab @1",
        "#password = Xk9q2LmPz81vRtY              | kv-password password=Xk9q2LmPz81vRtY @1",
      })
  void keyValueSyntaxes(String line, String expected) {
    assertThat(found(line)).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "PasswordAuthentication no",
        "PermitEmptyPasswords no",
        "#PasswordAuthentication yes",
        "password_file = /etc/app/pass",
        "keyfile /etc/chrony/chrony.keys",
        "key_size = 4096",
        "token_lifetime: 3600",
        "TOKEN_TTL=3600",
        "password=",
        "password = ${DB_PASSWORD}",
        "password=$DB_PASSWORD",
        "password: '%(db_password)s'",
        "password = <your password here>",
        "password = ***",
        "password = changeme",
        "password: CHANGEME",
        "secret = none",
        "password: true",
        "password = 12345",
        "ssl_certificate_key /etc/ssl/private/x.key;",
        "tls_privatekey = MAIN_TLS_PRIVATEKEY",
        "secret static.key",
        "private_key = $dir/ca.key",
        "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd",
        "proxy_pass http://backend;",
        "uwsgi_pass backend;",
        "fastcgi_pass unix:/run/php/php-fpm.sock;",
        "#requirepass foobared",
        "# password = secret",
        "#   secret = testing123-1",
        "password reset links expire after a day",
        "passwd etc_group {",
        "pass varchar(64) NOT NULL default '',",
        "password : str, optional",
        "User-Password =* ANY,",
        "key = \"%{md5:%{User-Name}}\"",
        "PublicKey = hV3bq2hRqdwJxfNzgY5nCWf1mAZW8Dg6cN1oQZBVq1U=",
        "password = kickdrift-secret.kv-password.0123456789abcdef",
        "DB_PASSWORD=\"kickdrift-secret.kv-password.0123456789abcdef\"",
        "auth_basic_user_file /etc/nginx/.htpasswd;",
        "#  use the key &request:TLS-Session-ID",
        "# This filter matches the authorization failures of Apache.",
        "auth = mschapv2-and-ntlmv2-only",
        "password = hunter2 # kickdrift: not-secret",
        "kpasswd		464/tcp",
        "private_key	= $dir/private/cakey.pem# The private key",
        "secret = $insta::secret # pass:insta",
      })
  void nearMissesAreNotSecrets(String line) {
    assertThat(found(line)).isEmpty();
  }

  @Test
  void markerOnTheLineBeforeExcusesTheNextLine() {
    assertThat(
            found("# kickdrift: not-secret (test fixture)\npassword = hunter2\npassword = Lq2p9\n"))
        .containsExactly("kv-password password=Lq2p9 @3");
  }

  @Test
  void samplesInsideAnXmlCommentNeedARandomValue() {
    String text =
        "<servers>\n<!-- a sample:\n  <server>\n    <password>repopwd</password>\n"
            + "    <password>Zk2p9LqX7aBc</password>\n  </server>\n-->\n"
            + "<password>repopwd</password>\n</servers>\n";
    assertThat(found("/etc/maven/settings.xml", text))
        .containsExactly("kv-password password=Zk2p9LqX7aBc @5", "kv-password password=repopwd @8");
  }

  @Test
  void mycnfNamesTheSection() {
    assertThat(found("/etc/mysql/conf.d/client.cnf", "[client]\nuser = b\npassword = Lq2.p9\n"))
        .containsExactly("mycnf-password [client] password=Lq2.p9 @3");
    assertThat(found("/etc/app/app.ini", "[db]\npassword = Lq2.p9\n"))
        .containsExactly("kv-password [db] password=Lq2.p9 @2");
  }

  @Test
  void netrcOnOneLineAndOnMany() {
    String text =
        "machine a login u password Pq2.k9\nmachine b\n  login v\n  password Zz8-kk2\n"
            + "# password inComment\nmacdef init\n";
    assertThat(found("/root/.netrc", text))
        .containsExactly("netrc-password password=Pq2.k9 @1", "netrc-password password=Zz8-kk2 @4");
  }

  @Test
  void pgpassFifthFieldToTheEndOfLine() {
    String text = "# host:port:db:user:password\ndb1:5432:app:app:Lq2:p9\\:x\n*:*:*:u:\n";
    assertThat(found("/root/.pgpass", text))
        .containsExactly("pgpass-password password=Lq2:p9\\:x @2");
    assertThat(found("/etc/app/not-pgpass", "db1:5432:app:app:Lq2p9x")).isEmpty();
  }

  @Test
  void urlUserInfoIsThePasswordOnly() {
    assertThat(found("DATABASE_URL=postgres://app:Lq2p9.Zk@db1:5432/app"))
        .containsExactly("url-userinfo null=Lq2p9.Zk @1");
    assertThat(found("CACHE=redis://:Zk2-p9Lq@cache:6379/0"))
        .containsExactly("url-userinfo null=Zk2-p9Lq @1");
    assertThat(found("HOME=https://www.example.com/a:b@c")).isEmpty();
    assertThat(found("URL=https://user:${PASS}@host/")).isEmpty();
    assertThat(found("URL=https://user@host/")).isEmpty();
  }

  @Test
  void authorizationHeadersKeepTheirScheme() {
    assertThat(
            found(
                "Authorization: Basic dXNlcjpwYXNzd29yZA==\n"
                    + "proxy_set_header Authorization \"Bearer Zk2p9LqX7aB\";\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcmJheg==\n"
                    + "proxy_set_header Authorization $http_authorization;\n"
                    + "Authorization: Bearer <token>\n"))
        .containsExactly(
            "http-authorization Authorization=dXNlcjpwYXNzd29yZA== @1",
            "http-authorization Authorization=Zk2p9LqX7aB @2",
            "http-authorization Proxy-Authorization=Zm9vOmJhcmJheg== @3");
  }

  @Test
  void tokenShapesAnywhereEvenInComments() {
    String gh = "ghp_" + "a".repeat(10) + "B9c8D7e6F5g4H3i2J1k0L9m8N7";
    String text =
        "# old key AKIAIOSFODNN7EXAMPLE was revoked\n"
            + "notes: "
            + gh
            + "\n"
            + "x glpat-Ab3dE5fG7hJ9kL1mN3pQ y\n"
            + "hook https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/Zk2p9LqX7aBcDeFgHiJkLmNo\n"
            + "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE\n"
            + "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n"
            + "ghp_short not a token\n";
    assertThat(found(text))
        .containsExactly(
            "aws-access-key null=AKIAIOSFODNN7EXAMPLE @1",
            "github-token null=" + gh + " @2",
            "gitlab-token null=glpat-Ab3dE5fG7hJ9kL1mN3pQ @3",
            "slack-webhook null=https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/Zk2p9LqX7aBcDeFgHiJkLmNo @4",
            "age-secret-key null=AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE @5",
            "jwt null=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U @6");
  }

  @Test
  void aKeyedShapeIsReportedByItsShape() {
    assertThat(found("SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"))
        .containsExactly(
            "slack-token null=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx @1");
  }

  @Test
  void wireguardPrivateAndPresharedKeysNotPublicOnes() {
    String k = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    assertThat(
            found(
                "/etc/wireguard/wg0.conf",
                "[Interface]\nPrivateKey = "
                    + k
                    + "\n[Peer]\nPublicKey = "
                    + k
                    + "\nPresharedKey = "
                    + k
                    + "\n"))
        .containsExactly(
            "wireguard-key [Interface] PrivateKey=" + k + " @2",
            "wireguard-key [Peer] PresharedKey=" + k + " @5");
  }

  @Test
  void passwordHashes() {
    String y = "$y$j9T$abcdefghijklmnopqrstuv$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
    String b = "$2b$12$" + "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW".substring(0, 53);
    String six = "$6$saltsalt$" + "a".repeat(40) + "B9/.";
    String argon = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    assertThat(
            found(
                "root:"
                    + y
                    + ":19500:0:99999:7:::\nu:"
                    + b
                    + "\n"
                    + six
                    + "\nh: \""
                    + argon
                    + "\"\nbin:*:1:\nx:!:2:\n"))
        .containsExactly(
            "password-hash null=" + y + " @1",
            "password-hash null=" + b + " @2",
            "password-hash null=" + six + " @3",
            "password-hash null=" + argon + " @4");
    assertThat(found("price: $6$ per $5$ unit\n")).isEmpty();
  }

  @Test
  void privateKeysInAnyArmorAnywhere() {
    String filler = "# filler line of an inventory file, nothing secret here\n".repeat(400);
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAbCd\n-----END RSA PRIVATE KEY-----";
    String ssh =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----";
    String pgp =
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBGX\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----";
    String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    String text = filler + cert + pem + "\n" + ssh + "\ntext\n" + pgp + "\n";
    assertThat(secrets.find("/etc/app/bundle", text.getBytes(StandardCharsets.ISO_8859_1)))
        .extracting(SecretMatch::rule)
        .containsExactly("pem-private-key", "openssh-private-key", "pgp-private-key");
    List<String> spans =
        found("/etc/app/bundle", text).stream().map(s -> s.replaceAll(" @\\d+$", "")).toList();
    assertThat(spans)
        .containsExactly(
            "pem-private-key null=" + pem,
            "openssh-private-key null=" + ssh,
            "pgp-private-key null=" + pgp);
  }

  @Test
  void anUnterminatedKeyRunsToTheEndOfItsBase64() {
    String text = "x\n-----BEGIN PRIVATE KEY-----\nMIIEvQ\nAbCd==\n\nnext: 1\n";
    assertThat(found(text))
        .containsExactly("pem-private-key null=-----BEGIN PRIVATE KEY-----\nMIIEvQ\nAbCd== @2");
  }

  @Test
  void puttyPrivateLinesAndMacButNotPublicLines() {
    String text =
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\nPublic-Lines: 2\n"
            + "AAAAC3NzaC1lZDI1NTE5\nAAAAIPub\nPrivate-Lines: 2\nAAAAIPriv1\nAAAAIPriv2\n"
            + "Private-MAC: 9f2c4e1a7b3d\n";
    assertThat(found("/etc/app/k.ppk", text))
        .containsExactly(
            "putty-private-key Private-Lines=AAAAIPriv1\nAAAAIPriv2 @8",
            "putty-private-key Private-MAC=9f2c4e1a7b3d @10");
  }

  @Test
  void binaryFilesOnlyForKeyArmor() {
    byte[] bin =
        ("\0\1\2password=Lq2p9Zk\nAKIAIOSFODNN7EXAMPLE\n-----BEGIN EC PRIVATE KEY-----\nMHc\n"
                + "-----END EC PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(secrets.find("/etc/app/blob", bin))
        .extracting(SecretMatch::rule)
        .containsExactly("pem-private-key");
  }

  @Test
  void gcpServiceAccountKeyInsideItsJsonString() {
    String key = "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\nAbCd\\n-----END PRIVATE KEY-----\\n";
    String text = "{\n  \"private_key_id\": \"3f9a7c21\",\n  \"private_key\": \"" + key + "\"\n}\n";
    assertThat(found("/etc/app/sa.json", text))
        .containsExactly("pem-private-key private_key=" + key + " @3");
  }

  @Test
  void spansAreSortedAndDisjointWhenRulesOverlap() {
    String text = "password = \"AKIAIOSFODNN7EXAMPLE\" DB_PASSWORD=Zk2p9Lq\n";
    List<SecretMatch> m = secrets.find("/etc/x", text.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(m).hasSize(2);
    assertThat(m.get(0).end()).isLessThanOrEqualTo(m.get(1).start());
  }
}
