/**
 * The packaged documentation generated from the picocli model: one roff man page per command
 * ({@link io.kickdrift.server.manual.Manual} writes them with the bash and zsh completion scripts
 * for the dist module's packages).
 */
package io.kickdrift.server.manual;
