package org.meshhub.core.ingest;

import java.util.concurrent.CompletionStage;

/**
 * The way in: one MQTT-shaped message (topic and raw payload bytes), from the broker, the HTTP ingest endpoint or
 * the built-in demo feed. It is parsed, validated, decoded and routed to the entities.
 *
 * <p>The returned stage completes only once every event the message produced is persisted, or once a rejected
 * message has been counted and stored with its reason; only then may the source acknowledge it. It never completes
 * exceptionally because of bad input: bad input is a {@link IngestResult} with status {@code REJECTED}. It completes
 * exceptionally only when the message could not be handled at all (the database is gone), so that the source can
 * retry it.
 */
public interface IngestPipeline {
  CompletionStage<IngestResult> submit(String topic, byte[] payload);
}
