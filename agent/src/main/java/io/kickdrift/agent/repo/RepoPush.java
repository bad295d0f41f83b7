package io.kickdrift.agent.repo;

import io.kickdrift.agent.cli.ErrorText;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Pushes the repository's branch to a remote branch: file and HTTP through JGit's own transports,
 * SSH through its Apache MINA SSHD transport with strict host-key checking against one known_hosts
 * file. HTTP(S) may authenticate with a user and password read from a file. Reads the local
 * repository only.
 */
final class RepoPush {
  /** Seconds a remote may stay silent before the push gives up. */
  private static final int TIMEOUT = 120;

  private RepoPush() {}

  static ConfigRepo.Pushed push(Repository repo, ConfigRepo.PushTarget t) throws IOException {
    String dst = "refs/heads/" + t.branch();
    if (!Repository.isValidRefName(dst)) {
      throw new IOException("'" + t.branch() + "' is not a valid branch name");
    }
    String branch = repo.getFullBranch();
    Ref ref = branch == null ? null : repo.exactRef(branch);
    if (ref == null || ref.getObjectId() == null) {
      return new ConfigRepo.Pushed(t.remote(), t.branch(), "nothing to push", null);
    }
    try {
      new URIish(t.remote());
    } catch (URISyntaxException e) {
      throw new IOException("not a remote: " + e.getMessage(), e);
    }
    UsernamePasswordCredentialsProvider login =
        t.credentials() == null ? null : credentials(t.credentials());
    Path home = FS.DETECTED.userHome().toPath();
    Path sshDir = home.resolve(".ssh");
    KnownHosts known =
        new KnownHosts(t.knownHosts() != null ? t.knownHosts() : sshDir.resolve("known_hosts"));
    SshdSessionFactoryBuilder b =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(home.toFile())
            .setSshDirectory(sshDir.toFile())
            // No ~/.ssh/config: what is checked and which key is offered are the flags' alone.
            .setConfigStoreFactory((h, f, u) -> null)
            .setServerKeyDatabase((h, s) -> known)
            .setPreferredAuthentications("publickey");
    if (t.identity() != null) {
      File id = t.identity().toFile();
      if (!id.canRead()) {
        throw new IOException("identity " + id + " cannot be read");
      }
      b.setDefaultIdentities(s -> List.of(id.toPath()));
    }
    SshdSessionFactory ssh = b.build(null);
    try (Git git = Git.wrap(repo)) {
      PushCommand cmd =
          git.push()
              .setRemote(t.remote())
              .setRefSpecs(new RefSpec(branch + ":" + dst))
              .setTimeout(TIMEOUT)
              .setTransportConfigCallback(
                  tr -> {
                    if (tr instanceof SshTransport st) {
                      st.setSshSessionFactory(ssh);
                    } else if (tr instanceof TransportHttp && login != null) {
                      // Only HTTP gets the password: SSH stays public-key only.
                      tr.setCredentialsProvider(login);
                    }
                  });
      for (PushResult r : cmd.call()) {
        RemoteRefUpdate u = r.getRemoteUpdate(dst);
        if (u == null) {
          continue;
        }
        switch (u.getStatus()) {
          case OK:
            return new ConfigRepo.Pushed(
                t.remote(), t.branch(), "pushed", u.getNewObjectId().name());
          case UP_TO_DATE:
            return new ConfigRepo.Pushed(
                t.remote(), t.branch(), "up to date", u.getNewObjectId().name());
          case REJECTED_NONFASTFORWARD:
            throw new IOException(
                t.branch()
                    + " was rejected: the remote's "
                    + t.branch()
                    + " has commits this repository lacks (not a fast-forward)");
          default:
            throw new IOException(
                t.branch()
                    + " was rejected: "
                    + u.getStatus()
                    + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"));
        }
      }
      throw new IOException("the remote reported nothing for " + dst);
    } catch (GitAPIException | org.eclipse.jgit.errors.TransportException e) {
      String why = known.refusal();
      throw new IOException(why != null ? why : reason(e), e);
    } catch (RuntimeException e) {
      throw new IOException(reason(e), e);
    } finally {
      ssh.close();
    }
  }

  /**
   * The user and password on the first line of {@code file}, {@code user:password}; read from a
   * file so that the password is in no command line. Errors name the file, never its content.
   */
  static UsernamePasswordCredentialsProvider credentials(Path file) throws IOException {
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new IOException("credentials " + file + " cannot be read");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String first = lines.isEmpty() ? "" : lines.get(0).strip();
    int colon = first.indexOf(':');
    if (colon <= 0) {
      throw new IOException(file + ":1: expected user:password");
    }
    return new UsernamePasswordCredentialsProvider(
        first.substring(0, colon), first.substring(colon + 1));
  }

  /** The innermost message that says something, without the URL JGit repeats at each level. */
  private static String reason(Throwable e) {
    String msg = e.getMessage();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        msg = c.getMessage();
      }
    }
    if (msg != null && msg.contains("no CredentialsProvider has been registered")) {
      // JGit's words for "the server asked for a login": say how to give one.
      return "the server asks for a login; give it with --push-credentials FILE (" + msg + ")";
    }
    return msg == null ? ErrorText.of(e) : msg;
  }
}
