/**
 * A read-only view of the config repository for the web console and the API (docs/drift-view.md):
 * {@link io.kickdrift.server.drift.DriftRepo} reads what the agent's and the fleet scan's commits
 * hold (docs/config-repo.md) and never writes to it.
 */
package io.kickdrift.server.drift;
