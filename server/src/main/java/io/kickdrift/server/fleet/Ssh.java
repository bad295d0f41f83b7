package io.kickdrift.server.fleet;

import io.kickdrift.agent.cli.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Opens SSH sessions to fleet hosts: key authentication only, every host key checked strictly
 * against one known_hosts file, every step bounded by a timeout. One instance serves many hosts and
 * threads.
 *
 * <pre>{@code
 * try (Ssh ssh = new Ssh(settings); Session s = ssh.open(target)) {
 *   Session.Result r = s.runAsRoot("rpm -Va", Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class Ssh implements AutoCloseable {
  private final SshSettings settings;
  private final SshClient client;
  private final String keyNames;

  /** Loads the identities and starts the client; an unreadable or encrypted key is an error. */
  public Ssh(SshSettings settings) throws IOException {
    this.settings = settings;
    List<KeyPair> keys = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path p : settings.identities()) {
      keys.addAll(load(p));
      names.add(p.getFileName().toString());
    }

    client = SshClient.setUpDefaultClient();
    // Only what the settings say: no ~/.ssh/config, no default keys, no passwords or prompts.
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(session -> keys);
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    client.setServerKeyVerifier(new HostKeyCheck(settings.knownHosts(), settings.acceptNew()));
    if (settings.agentSocket() != null) {
      client.setAgentFactory(UnixAgent.factory(settings.agentSocket()));
      names.add(0, "ssh-agent " + settings.agentSocket());
    }
    this.keyNames = String.join(", ", names);
    client.start();
  }

  private static List<KeyPair> load(Path p) throws IOException {
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      throw new IOException(
          "identity "
              + p
              + " cannot be read: "
              + (Files.isDirectory(p)
                  ? "a directory; expected a private key file"
                  : Files.exists(p) ? "permission denied" : "no such file")
              + " (give the private key, e.g. ~/.ssh/id_ed25519, with --identity)");
    }
    try (InputStream in = Files.newInputStream(p)) {
      List<KeyPair> out = new ArrayList<>();
      Iterable<KeyPair> ids =
          SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(p.toString()), in, null);
      if (ids != null) {
        ids.forEach(out::add);
      }
      if (out.isEmpty()) {
        throw new IOException("identity " + p + " holds no private key");
      }
      return out;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException(
          "identity " + p + " cannot be loaded (passphrase-protected keys are not supported): " + e,
          e);
    }
  }

  /**
   * Connects and authenticates within the settings' timeouts; through the target's jump host when
   * it has one (a session to the jump host, checked and authenticated the same way, forwarding a
   * loopback port of this machine to the target, as {@code ssh -J} does).
   */
  public Session open(SshTarget t) throws SshException {
    if (t.jump() == null) {
      return open(t, t.address(), t.port(), null);
    }
    Session via = open(t.jump());
    boolean ok = false;
    try {
      SshdSocketAddress local;
      try {
        local =
            via.client()
                .startLocalPortForwarding(
                    new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(t.address(), t.port()));
      } catch (IOException e) {
        throw new SshException(t, "cannot forward a port through " + t.jump() + ": " + e, e);
      }
      Session s = open(t, local.getHostName(), local.getPort(), via);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        via.close();
      }
    }
  }

  private Session open(SshTarget t, String address, int port, Session via) throws SshException {
    AtomicReference<String> refusal = new AtomicReference<>();
    Map<AttributeRepository.AttributeKey<?>, Object> attributes = new HashMap<>();
    attributes.put(HostKeyCheck.TARGET, t);
    attributes.put(HostKeyCheck.REFUSAL, refusal);
    AttributeRepository context = AttributeRepository.ofAttributesMap(attributes);
    ConnectFuture cf;
    try {
      cf = client.connect(t.user(), address, port, context);
    } catch (IOException e) {
      throw new SshException(t, "cannot connect: " + e.getMessage(), e);
    }
    Duration ct = settings.connectTimeout();
    if (!await(cf::await, ct)) {
      cf.cancel();
      throw new SshException(t, "connect timed out after " + seconds(ct));
    }
    if (!cf.isConnected()) {
      throw new SshException(t, connectFailure(cf.getException()), cf.getException());
    }
    ClientSession session = cf.getSession();
    boolean ok = false;
    try {
      authenticate(t, session, refusal);
      ok = true;
      return new Session(t, session, via);
    } finally {
      if (!ok) {
        session.close(true);
      }
    }
  }

  private void authenticate(SshTarget t, ClientSession session, AtomicReference<String> refusal)
      throws SshException {
    Duration at = settings.authTimeout();
    AuthFuture af;
    try {
      af = session.auth();
    } catch (IOException e) {
      throw new SshException(t, failure(session, refusal, e), e);
    }
    if (!await(af::await, at)) {
      af.cancel();
      if (session.getServerVersion() == null) {
        throw new SshException(
            t, "no answer within " + seconds(at) + " after connecting (the SSH banner never came)");
      }
      if (session.getServerKey() == null) {
        throw new SshException(
            t, "key exchange with " + session.getServerVersion() + " took over " + seconds(at));
      }
      throw new SshException(t, "authentication took over " + seconds(at));
    }
    if (!af.isSuccess()) {
      throw new SshException(t, failure(session, refusal, af.getException()), af.getException());
    }
  }

  private String failure(ClientSession session, AtomicReference<String> refusal, Throwable e) {
    if (refusal.get() != null) {
      return refusal.get();
    }
    if (session.getServerKey() != null && !session.isAuthenticated()) {
      String why = e == null ? "" : e.getMessage();
      if (why == null || why.contains("No more authentication methods")) {
        return "authentication failed for user "
            + session.getUsername()
            + " (tried keys: "
            + keyNames
            + ")";
      }
    }
    if (session.getServerVersion() == null) {
      return "connection closed before the SSH banner came (is it an SSH server?)";
    }
    return "SSH handshake failed: " + (e == null ? "session closed" : ErrorText.reason(e));
  }

  private static String connectFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host";
      }
    }
    return "cannot connect: " + (e == null ? "no reason given" : ErrorText.reason(e));
  }

  interface Awaitable {
    boolean await(Duration d) throws IOException;
  }

  static boolean await(Awaitable f, Duration d) {
    try {
      return f.await(d);
    } catch (IOException e) {
      return false; // interrupted: treated as the timeout it cut short
    }
  }

  /** {@code 5 s}, {@code 0.5 s}. */
  public static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  @Override
  public void close() throws IOException {
    client.stop();
  }
}
