package io.kickdrift.agent.scan;

/** The nine verify checks of {@code rpm -V}, in the order of its output columns. */
public enum Check {
  SIZE('S'),
  MODE('M'),
  DIGEST('5'),
  DEVICE('D'),
  LINK('L'),
  USER('U'),
  GROUP('G'),
  MTIME('T'),
  CAPS('P');

  private final char letter;

  Check(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }
}
