import io.kickdrift.server.render.CallbackTokens;
import java.nio.file.Path;

/** Prints a host's callback token from a server's key: bench/http-kickstart.sh needs the URL. */
public class KickstartToken {
  public static void main(String[] args) throws Exception {
    System.out.println(CallbackTokens.load(Path.of(args[0])).token(args[1]));
  }
}
