/**
 * From drift found to files managed (docs/desired-state.md): the variants of a path across a
 * profile's hosts with host values as template variables, the desired tree that {@code adopt}
 * writes, and who owns which files.
 */
package io.kickdrift.server.desired;
