package io.kickdrift.server.fleet;

import io.kickdrift.agent.cli.ErrorText;
import io.kickdrift.agent.state.AtomicWrite;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Strict host-key checking against one known_hosts file: a key that matches an entry for the host
 * is accepted; an unknown host is refused, or with {@code acceptNew} its key is appended to the
 * file; a host whose entries all differ from the offered key is refused, always.
 */
final class HostKeyCheck implements ServerKeyVerifier {
  /** The target being connected to, set in the connect context. */
  static final AttributeKey<SshTarget> TARGET = new AttributeKey<>();

  /** Where the check leaves why it refused, set in the connect context. */
  static final AttributeKey<AtomicReference<String>> REFUSAL = new AttributeKey<>();

  private final Path file;
  private final boolean acceptNew;

  HostKeyCheck(Path file, boolean acceptNew) {
    this.file = file;
    this.acceptNew = acceptNew;
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    AttributeRepository context = session.getConnectionContext();
    SshTarget t = context.getAttribute(TARGET);
    AtomicReference<String> refusal = context.getAttribute(REFUSAL);
    String why = check(t, key);
    if (why != null && refusal != null) {
      refusal.set(why);
    }
    return why == null;
  }

  /** Null if {@code key} is the target's, else why not. */
  String check(SshTarget t, PublicKey key) {
    String offered = KeyUtils.getKeyType(key) + " key " + KeyUtils.getFingerPrint(key);
    synchronized (this) { // one writer at a time when parallel scans meet new hosts
      List<PublicKey> known = new ArrayList<>();
      List<PublicKey> revoked = new ArrayList<>();
      try {
        read(t, known, revoked);
      } catch (NoSuchFileException e) {
        // no file yet: every host is unknown
      } catch (IOException e) {
        return "host key refused: cannot read " + file + ": " + e.getMessage();
      }
      for (PublicKey k : revoked) {
        if (KeyUtils.compareKeys(key, k)) {
          return "host key refused: " + offered + " is marked @revoked in " + file;
        }
      }
      for (PublicKey k : known) {
        if (KeyUtils.compareKeys(key, k)) {
          return null;
        }
      }
      if (!known.isEmpty()) {
        StringBuilder old = new StringBuilder();
        for (PublicKey k : known) {
          old.append(old.length() == 0 ? "" : ", ")
              .append(KeyUtils.getKeyType(k))
              .append(' ')
              .append(KeyUtils.getFingerPrint(k));
        }
        return "host key CHANGED: "
            + file
            + " has "
            + old
            + ", the host now offers "
            + offered
            + "; not accepted (the host may have been reinstalled, or someone is in between:"
            + " check, then fix "
            + file
            + ")";
      }
      if (!acceptNew) {
        return "host key refused: unknown "
            + offered
            + "; add it to "
            + file
            + " or run with --accept-new";
      }
      try {
        append(t.knownHostsName() + " " + PublicKeyEntry.toString(key));
        return null;
      } catch (IOException e) {
        return "host key "
            + offered
            + " is new but cannot be recorded in "
            + file
            + ": "
            + ErrorText.reason(e);
      }
    }
  }

  /** The keys {@code file} holds for the target: plain entries, and {@code @revoked} ones. */
  private void read(SshTarget t, List<PublicKey> known, List<PublicKey> revoked)
      throws IOException {
    for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
      if (!e.isHostMatch(t.address(), t.port()) || e.getKeyEntry() == null) {
        continue;
      }
      PublicKey k;
      try {
        k = e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
      } catch (GeneralSecurityException ex) {
        continue; // a key type this client cannot read matches nothing
      }
      if (k == null) {
        continue;
      }
      if (e.getMarker() == null) {
        known.add(k);
      } else if ("revoked".equals(e.getMarker())) { // MINA drops the "@"
        revoked.add(k);
      } // @cert-authority: host certificates are not accepted here
    }
  }

  /** Appends one line by writing the whole file anew and moving it into place. */
  private void append(String line) throws IOException {
    String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    if (!old.isEmpty() && !old.endsWith("\n")) {
      old += "\n";
    }
    // As readable as before (or as ssh-keyscan output usually is): it holds no secret.
    AtomicWrite.to(file)
        .modeIfNew(0644)
        .write((old + line + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
