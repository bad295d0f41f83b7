/**
 * Defences against what the network sends: {@link io.kickdrift.server.guard.ServedRoot} confines
 * the paths TFTP and HTTP clients ask for to the served root (symlinks resolved), and {@link
 * io.kickdrift.server.guard.LogText} makes client-supplied text safe and short enough to log.
 * docs/security.md describes the rules.
 */
package io.kickdrift.server.guard;
