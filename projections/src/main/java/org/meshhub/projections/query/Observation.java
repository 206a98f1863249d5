package org.meshhub.projections.query;

import java.time.Instant;

/**
 * One observer hearing an advert or a packet.
 *
 * @param observerName the observer's own name, when it is a known node
 */
public record Observation(
    String observer, String observerName, Instant receivedAt, Double snr, Integer rssi, int pathLen, String path) {}
