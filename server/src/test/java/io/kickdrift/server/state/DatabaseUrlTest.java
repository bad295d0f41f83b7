package io.kickdrift.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void libpqFormBecomesAJdbcUrlWithTheCredentialsApart() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://kd:s3cret@db.example:5433/kickdrift", null);
    assertThat(u.jdbc()).isEqualTo("jdbc:postgresql://db.example:5433/kickdrift");
    assertThat(u.user()).isEqualTo("kd");
    assertThat(u.password()).isEqualTo("s3cret");
    assertThat(u).hasToString("postgresql://kd@db.example:5433/kickdrift");
  }

  @Test
  void thePasswordFileIsUsedWhenTheUrlHasNoneAndParametersStay() {
    DatabaseUrl u = DatabaseUrl.parse("postgres://kd@10.0.0.5/state?sslmode=verify-full", "pw");
    assertThat(u.jdbc()).isEqualTo("jdbc:postgresql://10.0.0.5/state?sslmode=verify-full");
    assertThat(u.password()).isEqualTo("pw");
    assertThat(DatabaseUrl.parse("jdbc:postgresql://h/d", null).user()).isNull();
  }

  @Test
  void severalHostsGoToTheDriverForFailover() {
    DatabaseUrl u =
        DatabaseUrl.parse(
            "postgresql://kd@db1:5432,db2:5432/kickdrift?targetServerType=primary", "pw");
    assertThat(u.jdbc())
        .isEqualTo("jdbc:postgresql://db1:5432,db2:5432/kickdrift?targetServerType=primary");
    assertThat(DatabaseUrl.parse("jdbc:postgresql://[::1]:5432,10.0.0.2/kd", null).jdbc())
        .isEqualTo("jdbc:postgresql://[::1]:5432,10.0.0.2/kd");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db1,/kd", null))
        .hasMessageContaining("no host");
  }

  @Test
  void whatIsNotAPostgresqlUrlIsRefusedSayingWhatWasExpectedWithoutThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:hunter2@h/d", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected postgresql://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@h/", null))
        .hasMessageContaining("expected a database name")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///d", null))
        .hasMessageContaining("no host");
  }

  @Property
  void anyUserPasswordHostPortAndDatabaseComeBackAndThePasswordIsNeverShown(
      @ForAll("names") String user,
      @ForAll("passwords") String password,
      @ForAll("names") String host,
      @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll("names") String database) {
    String text =
        "postgresql://"
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + ":"
            + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")
            + "@"
            + host
            + ":"
            + port
            + "/"
            + database;
    DatabaseUrl u = DatabaseUrl.parse(text, null);
    assertThat(u.user()).isEqualTo(user);
    assertThat(u.password()).isEqualTo(password);
    assertThat(u.jdbc()).isEqualTo("jdbc:postgresql://" + host + ":" + port + "/" + database);
    assertThat(u.toString()).doesNotContain(":" + password + "@");
  }

  @Property
  void anyTextIsParsedOrRefusedWithAnIllegalArgument(@ForAll String text) {
    try {
      DatabaseUrl.parse("postgresql://" + text, null);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> passwords() {
    return Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(20);
  }
}
