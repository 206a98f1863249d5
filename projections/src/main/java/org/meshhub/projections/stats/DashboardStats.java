package org.meshhub.projections.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/dashboard/stats}. Counts come from counters the projections keep (hourly buckets, so "24 h"
 * and "7 days" are the current hour and the 23, respectively 167, whole hours before it), except
 * {@code activeNodes}, an index range count over {@code nodes.last_seen}.
 *
 * @param activeNodes nodes heard in the last 24 hours
 * @param messagesToday messages first heard since midnight UTC
 * @param channelMessageCounts channel messages per channel hash byte, as MeshCore Hub answers them
 * @param channels the same with the channel's name, most used first
 * @param recentAdvertisements the latest adverts heard
 * @param observersTotal nodes that upload what they hear
 * @param observersOnline observers whose last status did not say offline, heard within the last hour
 */
public record DashboardStats(
    long totalNodes,
    long activeNodes,
    long totalMessages,
    long messagesToday,
    @JsonProperty("messages_7d") long messages7d,
    long totalAdvertisements,
    @JsonProperty("advertisements_24h") long advertisements24h,
    @JsonProperty("advertisements_7d") long advertisements7d,
    Map<Integer, Long> channelMessageCounts,
    List<ChannelCount> channels,
    List<RecentAdvert> recentAdvertisements,
    long observersTotal,
    long observersOnline,
    Instant generatedAt) {

  public DashboardStats {
    channelMessageCounts = Map.copyOf(channelMessageCounts);
    channels = List.copyOf(channels);
    recentAdvertisements = List.copyOf(recentAdvertisements);
  }

  public record ChannelCount(int channelIdx, String channelName, long count) {}

  public record RecentAdvert(String publicKey, String name, String advType, Instant receivedAt) {}
}
