package org.meshhub.core.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLSocketFactory;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the ingest pipeline from an MQTT broker, losing nothing and doubling nothing:
 *
 * <ul>
 *   <li>QoS 1 subscriptions on a persistent session ({@code cleanSession=false}) under a stable client id, so that
 *       the broker keeps what is published while MeshHub is down (the broker must be configured to keep enough:
 *       Mosquitto's {@code max_queued_messages 0}); in a cluster, shared subscriptions
 *       ({@code $share/<group>/<filter>}), so that each message goes to one member;
 *   <li>manual acknowledgements: a message is acknowledged only after the pipeline's stage completed normally (its
 *       events persisted, or it was stored as rejected). A message whose stage failed is not acknowledged; it is
 *       offered to the pipeline again, with backoff from 1 s to 30 s, until it succeeds. Should MeshHub die
 *       meanwhile, the broker redelivers it to the next session. The entities are idempotent, so a message handled
 *       twice is stored once;
 *   <li>at most {@code MQTT_MAX_INFLIGHT} messages in the pipeline at once; past that, the MQTT client thread waits,
 *       which stops reading from the socket (and the broker's own in-flight window stops sending);
 *   <li>a broker down at start or lost mid-run is retried forever with backoff (1 s doubling to 30 s), one log line
 *       per attempt (at most one per 10 s); the subscriptions are made again on every connection. MQTT keepalive
 *       ({@code MQTT_KEEPALIVE}) notices a connection that died silently.
 * </ul>
 *
 * <p>An acknowledgement is sent only on the connection the message came in on: after a reconnect the broker
 * redelivers every message left unacknowledged, and message ids of the old connection mean nothing on the new one.
 */
public final class MqttIngestSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestSource.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final int CONNECT_TIMEOUT_SECONDS = 10;
  /** How long a node's shutdown waits for the messages in the pipeline to be stored and acknowledged. */
  private static final Duration STOP_DRAIN = Duration.ofSeconds(5);
  /** Leaving a share group, the session is drained once no message has come for this long. */
  private static final Duration QUIET = Duration.ofMillis(500);
  /** Paho logs connection losses itself (java.util.logging, SEVERE); this class reports them once, in its words. */
  private static final java.util.logging.Logger PAHO_LOG = quietPaho();

  private final MqttSettings settings;
  private final IngestPipeline pipeline;
  private final String[] topics;
  private final Semaphore inflight;
  private final ScheduledExecutorService scheduler;
  /** Parses, decodes and routes arrived messages, so that the client's reading thread only hands them over. */
  private final java.util.concurrent.ExecutorService handlers;
  private final RateLimitedLog rateLimited = new RateLimitedLog(Duration.ofSeconds(10));
  private final AtomicLong generations = new AtomicLong();
  private final AtomicInteger inflightCount = new AtomicInteger();
  private final Counter retries;
  private final Counter connectionsLost;

  /** Guards the change between connected and not, so that exactly one reconnection follows a loss. */
  private final Object state = new Object();
  private volatile Connection current;
  private volatile boolean connected;
  private volatile boolean stopping;
  private volatile String lastError;
  private volatile long lastArrival = System.nanoTime();
  private int attempt;

  /** One MQTT connection; deliveries remember the one they came in on. */
  private record Connection(long generation, MqttClient client) {}

  /** One message handed to the pipeline, with how often it was offered so far. */
  private record Delivery(long generation, int messageId, int qos, String topic, byte[] payload, int attempt) {
    Delivery next() {
      return new Delivery(generation, messageId, qos, topic, payload, attempt + 1);
    }
  }

  private MqttIngestSource(MqttSettings settings, IngestPipeline pipeline, MeterRegistry registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.topics = settings.subscriptions();
    this.inflight = new Semaphore(settings.maxInflight());
    this.scheduler = Executors.newScheduledThreadPool(2, daemonThreads("meshhub-mqtt"));
    this.handlers = Executors.newFixedThreadPool(2, daemonThreads("meshhub-mqtt-ingest"));
    Gauge.builder("meshhub.mqtt.connected", () -> connected ? 1 : 0)
        .description("1 while connected and subscribed to the MQTT broker").register(registry);
    Gauge.builder("meshhub.mqtt.inflight", inflightCount::get)
        .description("MQTT messages being ingested").register(registry);
    retries = Counter.builder("meshhub.mqtt.retries")
        .description("MQTT messages offered to the pipeline again after a failure").register(registry);
    connectionsLost = Counter.builder("meshhub.mqtt.connections.lost")
        .description("MQTT connections lost").register(registry);
  }

  /**
   * Starts connecting in the background (start-up never waits for the broker).
   *
   * @param registry where the {@code meshhub_mqtt_*} meters go
   */
  public static MqttIngestSource start(MqttSettings settings, IngestPipeline pipeline, MeterRegistry registry) {
    MqttIngestSource source = new MqttIngestSource(settings, pipeline, registry);
    log.info("Connecting to MQTT: {}", settings);
    source.scheduler.execute(source::connect);
    return source;
  }

  /**
   * The MQTT source of a node: connects in the background, and is stopped by the node's coordinated shutdown before
   * anything it feeds: the messages in the pipeline finish and are acknowledged while the entities still run. A node
   * its cluster downed stops at once instead: its entities run elsewhere already, and the broker redelivers what it
   * did not acknowledge.
   */
  public static MqttIngestSource start(ActorSystem<?> system, MqttSettings settings, IngestPipeline pipeline) {
    MqttIngestSource source = start(settings, pipeline, MeshHubMetrics.get(system).registry());
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "mqtt-stop",
        () -> CompletableFuture.supplyAsync(() -> {
          boolean downed = shutdown.getShutdownReason()
              .filter(reason -> reason == CoordinatedShutdown.clusterDowningReason()).isPresent();
          if (downed) {
            source.stop(Duration.ZERO);
          } else if (settings.sharedGroup().isPresent() && !oldestMember(system)) {
            source.leave(STOP_DRAIN);
          } else {
            source.stop(STOP_DRAIN);
          }
          return Done.getInstance();
        }, blocking));
    return source;
  }

  /**
   * Whether no member older than this one is around. The oldest member keeps its share of the subscription when it
   * stops, so that when the whole cluster is down the broker still keeps the group's messages (in its session);
   * the others leave the group, and their share goes to the members that stay.
   */
  private static boolean oldestMember(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    Member self = cluster.selfMember();
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .noneMatch(m -> !m.address().equals(self.address()) && m.isOlderThan(self)
            && m.status() != MemberStatus.down() && m.status() != MemberStatus.removed());
  }

  /** True while connected and subscribed. */
  public boolean isConnected() {
    return connected;
  }

  /** Empty while connected and subscribed; otherwise why not, for {@code /health/ready}. */
  public Optional<String> problem() {
    if (connected) {
      return Optional.empty();
    }
    String error = lastError;
    return Optional.of("not connected to " + settings.serverUri() + (error == null ? "" : " (" + error + ")")
        + (stopping ? "; stopped" : "; reconnecting"));
  }

  public MqttSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connecting

  private void connect() {
    if (stopping) {
      return;
    }
    long generation = generations.incrementAndGet();
    MqttClient client = null;
    try {
      client = new MqttClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
      client.setManualAcks(true);
      client.setTimeToWait(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS * 3L));
      client.setCallback(new Callbacks(generation));
      current = new Connection(generation, client);
      IMqttToken connection = client.connectWithResult(options());
      if (connection.getSessionPresent()) {
        // A resumed session keeps the subscriptions of the node's earlier runs: drop those of the other form.
        client.unsubscribe(settings.otherSubscriptions());
      }
      int[] qos = new int[topics.length];
      Arrays.fill(qos, 1);
      IMqttToken subscription = client.subscribeWithResponse(topics, qos);
      for (int granted : subscription.getGrantedQos()) {
        if (granted == 0x80) {
          throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
        }
      }
      synchronized (state) {
        if (stopping) {
          return;
        }
        if (!client.isConnected()) {
          // Lost between the subscription and here; Paho reports no loss of a connection not yet made.
          throw new MqttException(MqttException.REASON_CODE_CONNECTION_LOST);
        }
        connected = true;
      }
      lastError = null;
      attempt = 0;
      log.info("Connected to MQTT broker {} as {} (session {}), subscribed at QoS 1 to {}{}", settings.serverUri(),
          settings.clientId(), connection.getSessionPresent() ? "resumed" : "new", String.join(" ", topics),
          settings.sharedGroup().map(g -> " (shared: each message goes to one member of group " + g + ")")
              .orElse(""));
    } catch (MqttException | RuntimeException e) {
      connected = false;
      lastError = describe(e);
      closeQuietly(client);
      if (stopping) {
        return;
      }
      attempt++;
      Duration wait = backoff(attempt);
      long held = rateLimited.permit("connect");
      if (held != RateLimitedLog.SUPPRESS) {
        log.warn("Cannot connect to MQTT broker {} (attempt {}): {}; retrying in {} s{}", settings.serverUri(),
            attempt, lastError, wait.toSeconds(), rateLimited.suffix(held));
      }
      scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setKeepAliveInterval(settings.keepAliveSeconds());
    options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().toCharArray());
    }
    if (settings.tls()) {
      options.setSocketFactory(SSLSocketFactory.getDefault());
      options.setHttpsHostnameVerificationEnabled(true);
    }
    return options;
  }

  private void lost(long generation, Throwable cause) {
    Connection connection = current;
    synchronized (state) {
      // Only a connection that was made is replaced here; a failed attempt schedules the next one itself.
      if (connection == null || connection.generation() != generation || !connected) {
        return;
      }
      connected = false;
    }
    lastError = describe(cause);
    connectionsLost.increment();
    if (stopping) {
      return;
    }
    long held = rateLimited.permit("lost");
    if (held != RateLimitedLog.SUPPRESS) {
      log.warn("Lost the connection to MQTT broker {}: {}; reconnecting{}", settings.serverUri(), lastError,
          rateLimited.suffix(held));
    }
    scheduler.execute(() -> {
      closeQuietly(connection.client());
      connect();
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Messages

  private void arrived(long generation, String topic, MqttMessage message) throws InterruptedException {
    lastArrival = System.nanoTime();
    // Waiting here holds the MQTT client's reading thread: back-pressure down to the socket.
    while (!inflight.tryAcquire(1, TimeUnit.SECONDS)) {
      if (stopping) {
        return;
      }
    }
    if (stopping) {
      // Not acknowledged: the broker offers it again to the next session.
      inflight.release();
      return;
    }
    inflightCount.incrementAndGet();
    Delivery delivery = new Delivery(generation, message.getId(), message.getQos(), topic, message.getPayload(), 1);
    try {
      handlers.execute(() -> offer(delivery));
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // Stopping: not acknowledged, so the broker offers it again to the next session.
      finished();
    }
  }

  private void offer(Delivery delivery) {
    CompletionStage<IngestResult> stage;
    try {
      stage = pipeline.submit(delivery.topic(), delivery.payload());
    } catch (RuntimeException e) {
      stage = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((result, error) -> {
      if (error == null) {
        acknowledge(delivery);
        finished();
      } else if (stopping) {
        finished();
      } else {
        retry(delivery, error);
      }
    });
  }

  private void retry(Delivery delivery, Throwable error) {
    retries.increment();
    Duration wait = backoff(delivery.attempt());
    long held = rateLimited.permit("retry");
    if (held != RateLimitedLog.SUPPRESS) {
      log.warn("A message on [{}] is not stored yet (attempt {}): {}; offering it again in {} s{}",
          EntityIngestPipeline.printable(delivery.topic()), delivery.attempt(), error.getMessage(), wait.toSeconds(),
          rateLimited.suffix(held));
    }
    try {
      scheduler.schedule(() -> offer(delivery.next()), wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      finished();
    }
  }

  private void acknowledge(Delivery delivery) {
    Connection connection = current;
    if (delivery.qos() == 0 || connection == null || connection.generation() != delivery.generation()) {
      // QoS 0 needs no acknowledgement; a message of an older connection is redelivered on the current one.
      return;
    }
    try {
      connection.client().messageArrivedComplete(delivery.messageId(), delivery.qos());
    } catch (MqttException | RuntimeException e) {
      log.debug("Acknowledgement of message {} not sent ({}); the broker will redeliver it", delivery.messageId(),
          e.toString());
    }
  }

  private void finished() {
    inflightCount.decrementAndGet();
    inflight.release();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Stopping

  /**
   * Leaves the share group, then stops: unsubscribes, so that the broker deals new messages to the other members
   * only, takes in what its session still holds until nothing has come for a moment and nothing is in the pipeline
   * (at most {@code drain} in all), then stops as {@link #stop} does. What the session might still hold after that
   * waits in it for the next start under this client id.
   */
  public void leave(Duration drain) {
    long deadline = System.nanoTime() + drain.toNanos();
    Connection connection = current;
    if (connection != null && connected && !stopping) {
      try {
        connection.client().unsubscribe(topics);
        log.info("Left the MQTT share group{}: new messages go to the members that stay",
            settings.sharedGroup().map(g -> " " + g).orElse(""));
        while (System.nanoTime() - deadline < 0
            && (inflightCount.get() > 0 || System.nanoTime() - lastArrival < QUIET.toNanos())) {
          Thread.sleep(50);
        }
      } catch (MqttException e) {
        log.warn("Could not leave the MQTT share group ({}); the broker keeps dealing this node its share until it"
            + " is back", describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * Stops taking messages, waits up to {@code drain} for those in the pipeline to finish (and acknowledges them),
   * then disconnects. The subscriptions stay: the broker keeps queueing for the session while MeshHub is down.
   */
  public void stop(Duration drain) {
    if (stopping) {
      return;
    }
    stopping = true;
    try {
      if (!inflight.tryAcquire(settings.maxInflight(), drain.toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("Stopping MQTT with {} message(s) still in the pipeline; the broker will redeliver them",
            inflightCount.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection connection = current;
    connected = false;
    scheduler.shutdownNow();
    handlers.shutdownNow();
    if (connection != null) {
      try {
        if (connection.client().isConnected()) {
          connection.client().disconnect(1_000);
        }
      } catch (MqttException e) {
        try {
          connection.client().disconnectForcibly(0, 1_000);
        } catch (MqttException ignored) {
          // closing anyway
        }
      }
      closeQuietly(connection.client());
    }
    log.info("MQTT source stopped");
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private final class Callbacks implements MqttCallback {
    private final long generation;

    Callbacks(long generation) {
      this.generation = generation;
    }

    @Override
    public void connectionLost(Throwable cause) {
      lost(generation, cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      arrived(generation, topic, message);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // This client publishes nothing.
    }
  }

  static Duration backoff(int attempt) {
    long seconds = FIRST_BACKOFF.toSeconds() << Math.min(Math.max(attempt - 1, 0), 5);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }

  /** Paho's message and the root cause, one line. Never holds the password (Paho does not print it). */
  private static String describe(Throwable e) {
    if (e == null) {
      return "connection closed";
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.net.UnknownHostException) {
      return "cannot resolve the broker's host name " + root.getMessage() + " (DNS lookup failed)";
    }
    if (root instanceof java.net.ConnectException) {
      return "connection refused (" + root.getMessage() + ")";
    }
    if (root != e) {
      text += ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }
    return text.replace('\n', ' ');
  }

  private static void closeQuietly(MqttClient client) {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1_000);
      }
      client.close();
    } catch (MqttException | RuntimeException ignored) {
      // already gone
    }
  }

  private static java.util.logging.Logger quietPaho() {
    java.util.logging.Logger paho = java.util.logging.Logger.getLogger("org.eclipse.paho.client.mqttv3");
    paho.setLevel(java.util.logging.Level.OFF);
    return paho;
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
