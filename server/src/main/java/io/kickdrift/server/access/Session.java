package io.kickdrift.server.access;

import java.time.Instant;

/**
 * A logged-in browser: the cookie's value ({@code id}), the CSRF token every form and every non-GET
 * request of this session must carry, who it is, and when it was made and last used. Sessions live
 * in serve's memory: a restart logs everyone out.
 */
public record Session(
    String id, String csrf, Principal principal, Instant created, Instant lastSeen) {}
