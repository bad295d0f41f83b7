/**
 * Fixtures the agent's and the server's tests share (the server reads them from the agent's
 * test-jar): scratch roots filled by the real dpkg and rpm, an OpenSSH sshd on loopback, the git
 * command line, and the scratch directories and resources a test cleans up. See
 * docs/config-repo.md, "Tests".
 */
package io.kickdrift.testkit;
