package io.kickdrift.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ErrorTextTest {
  @Test
  void fileErrorsNameTheFileAndSayWhatIsWrong() {
    assertThat(ErrorText.of(new NoSuchFileException("/etc/kickdrift/inv.yaml")))
        .isEqualTo("/etc/kickdrift/inv.yaml: no such file or directory");
    assertThat(ErrorText.of(new AccessDeniedException("/root/key")))
        .isEqualTo("/root/key: permission denied");
    assertThat(ErrorText.reason(new NoSuchFileException("x")))
        .isEqualTo("no such file or directory");
  }

  @Test
  void classNamesQuotedFromACauseAreDropped() {
    assertThat(ErrorText.of(new IOException("push failed: java.io.IOException: broken pipe")))
        .isEqualTo("push failed: broken pipe");
    assertThat(
            ErrorText.of(
                new UncheckedIOException(new NoSuchFileException("/srv/repo/manifest.json"))))
        .isEqualTo("/srv/repo/manifest.json: no such file or directory");
  }

  @Test
  void networkErrorsInWords() {
    assertThat(ErrorText.of(new BindException("Address already in use")))
        .isEqualTo("address already in use");
    assertThat(ErrorText.of(new ConnectException())).startsWith("cannot connect; ");
    assertThat(ErrorText.of(new ConnectException("Connection refused")))
        .startsWith("connection refused; ");
  }

  @Test
  void aProgrammingErrorIsReportedWithoutItsNullTalk() {
    String text = ErrorText.of(new NullPointerException("because \"x\" is null"));
    assertThat(text).startsWith("an internal error (").endsWith("); please report it");
    assertThat(text).doesNotContain("null").doesNotContain("Exception");
  }

  @Command(name = "boom")
  static final class Boom implements Runnable {
    @Override
    public void run() {
      Object o = null;
      o.hashCode(); // a bug: an unchecked exception no command catches
    }
  }

  @Test
  void anUncaughtExceptionIsOneLineAndExitTwo() {
    CommandLine cl = AgentMain.configure(new CommandLine(new Boom()));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute()).isEqualTo(AgentMain.EXIT_ERROR);
    assertThat(err.toString())
        .startsWith("boom: an internal error (")
        .hasLineCount(1)
        .doesNotContain("null")
        .doesNotContain("Exception");
  }
}
