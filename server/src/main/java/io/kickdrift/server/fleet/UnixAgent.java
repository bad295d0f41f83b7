package io.kickdrift.server.fleet;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * The user's ssh-agent ({@code SSH_AUTH_SOCK}) as MINA's {@link SshAgent}: keys the agent holds are
 * offered, and it signs; the private keys never enter this process. MINA's protocol code ({@link
 * AbstractAgentProxy}) over a JDK UNIX-domain socket, one connection per SSH session. Only the
 * client side: agent forwarding to hosts is never offered.
 */
final class UnixAgent extends AbstractAgentProxy {
  /** Agent messages larger than this are refused (OpenSSH's own limit is 256 KiB). */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final Path socket;
  private final SocketChannel channel;

  private UnixAgent(Path socket) throws IOException {
    super(ThreadUtils.newSingleThreadExecutor("ssh-agent"));
    this.socket = socket;
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw new IOException("ssh-agent at " + socket + ": cannot connect: " + e.getMessage(), e);
    }
    this.channel = ch;
  }

  /** A factory for {@code SshClient.setAgentFactory}: a connection to the agent per session. */
  static SshAgentFactory factory(Path socket) {
    return new SshAgentFactory() {
      @Override
      public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
      }

      @Override
      public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        return new UnixAgent(socket);
      }

      @Override
      public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("agent forwarding is not offered");
      }
    };
  }

  @Override
  protected synchronized Buffer request(Buffer buffer) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer len = ByteBuffer.allocate(4);
    readFully(len);
    int n = len.flip().getInt();
    if (n <= 0 || n > MAX_MESSAGE) {
      throw new IOException(
          "ssh-agent at " + socket + ": answer of " + n + " bytes; expected 1 to " + MAX_MESSAGE);
    }
    ByteBuffer body = ByteBuffer.allocate(n);
    readFully(body);
    return new ByteArrayBuffer(body.array());
  }

  private void readFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        throw new IOException("ssh-agent at " + socket + ": closed the connection");
      }
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      super.close();
    }
  }
}
