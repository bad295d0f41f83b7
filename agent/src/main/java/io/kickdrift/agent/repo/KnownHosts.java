package io.kickdrift.agent.repo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Strict host-key checking against one known_hosts file, whatever an ssh config says: a host whose
 * key is not in the file, or whose key differs from the file's, is refused, and {@link #refusal()}
 * says which and why. The file is never written.
 */
final class KnownHosts implements ServerKeyDatabase {
  private final Path file;
  private volatile String refusal;

  KnownHosts(Path file) {
    this.file = file;
  }

  /** Why the last host key was refused, or {@code null}. */
  String refusal() {
    return refusal;
  }

  @Override
  public List<PublicKey> lookup(
      String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
    try {
      List<PublicKey> out = new ArrayList<>();
      for (KnownHostEntry e : matching(connectAddress, remoteAddress)) {
        PublicKey k = key(e);
        if (k != null) {
          out.add(k);
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public boolean accept(
      String connectAddress,
      InetSocketAddress remoteAddress,
      PublicKey serverKey,
      Configuration config,
      CredentialsProvider provider) {
    String offered = KeyUtils.getKeyType(serverKey) + " " + KeyUtils.getFingerPrint(serverKey);
    List<KnownHostEntry> entries;
    try {
      entries = matching(connectAddress, remoteAddress);
    } catch (NoSuchFileException e) {
      refusal =
          "host key of "
              + connectAddress
              + " cannot be checked: "
              + file
              + " does not exist (the server offered "
              + offered
              + ")";
      return false;
    } catch (IOException e) {
      refusal = "host key of " + connectAddress + " cannot be checked: " + e.getMessage();
      return false;
    }
    boolean known = false;
    for (KnownHostEntry e : entries) {
      if ("revoked".equals(e.getMarker()) || "@revoked".equals(e.getMarker())) {
        if (KeyUtils.compareKeys(serverKey, key(e))) {
          refusal = "host key of " + connectAddress + " (" + offered + ") is revoked in " + file;
          return false;
        }
        continue;
      }
      if (e.getMarker() != null) {
        continue; // @cert-authority: certificates are not accepted here
      }
      known = true;
      if (KeyUtils.compareKeys(serverKey, key(e))) {
        refusal = null;
        return true;
      }
    }
    refusal =
        known
            ? "host key of "
                + connectAddress
                + " has CHANGED: the server offered "
                + offered
                + ", "
                + file
                + " has a different key for it; refused (someone may be intercepting the"
                + " connection, or the host was reinstalled: check, then fix "
                + file
                + ")"
            : "host key of "
                + connectAddress
                + " is unknown: "
                + file
                + " has no entry for it (the server offered "
                + offered
                + "); refused: verify the fingerprint and add the host's key to "
                + file;
    return false;
  }

  private List<KnownHostEntry> matching(String connectAddress, InetSocketAddress remote)
      throws IOException {
    List<String[]> candidates = new ArrayList<>();
    candidates.add(hostAndPort(connectAddress, remote == null ? 22 : remote.getPort()));
    if (remote != null && remote.getAddress() != null) {
      candidates.add(new String[] {remote.getAddress().getHostAddress(), "" + remote.getPort()});
    }
    List<KnownHostEntry> out = new ArrayList<>();
    for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
      for (String[] c : candidates) {
        if (e.isHostMatch(c[0], Integer.parseInt(c[1]))) {
          out.add(e);
          break;
        }
      }
    }
    return out;
  }

  /** {@code [host]:port} or {@code host} (port 22, or the one connected to). */
  static String[] hostAndPort(String address, int port) {
    if (address.startsWith("[")) {
      int close = address.indexOf("]:");
      if (close > 0) {
        return new String[] {address.substring(1, close), address.substring(close + 2)};
      }
    }
    return new String[] {address, Integer.toString(port)};
  }

  private static PublicKey key(KnownHostEntry e) {
    try {
      return e.getKeyEntry() == null
          ? null
          : e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
    } catch (IOException | GeneralSecurityException ex) {
      return null; // a key type this client cannot read matches nothing
    }
  }
}
