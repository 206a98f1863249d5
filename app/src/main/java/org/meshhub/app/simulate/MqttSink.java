package org.meshhub.app.simulate;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.meshhub.core.simulate.Publication;

/**
 * Publishes to an MQTT broker at QoS 1, as an observer's uploader does, with up to {@code maxInFlight} messages
 * awaiting their PUBACK. A clean session under a client id of its own ({@code meshhub-simulate-<random>}), so it
 * never takes over a collector's session. A lost connection ends the run: the simulator does not reconnect.
 */
public final class MqttSink implements PublicationSink {
  private final BrokerSettings settings;
  private final MqttAsyncClient client;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final Tally tally = new Tally();
  private volatile Throwable lost;

  private MqttSink(BrokerSettings settings, MqttAsyncClient client, int maxInFlight) {
    this.settings = settings;
    this.client = client;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * Connects, or fails with one line naming the broker.
   *
   * @throws SinkUnavailableException when the broker cannot be reached or refuses the connection
   */
  public static MqttSink connect(BrokerSettings settings, int maxInFlight) {
    String clientId = "meshhub-simulate-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(settings.uri(), clientId, new MemoryPersistence());
    } catch (MqttException | IllegalArgumentException e) {
      throw new SinkUnavailableException("cannot use the MQTT broker address " + settings.uri() + ": "
          + e.getMessage());
    }
    MqttSink sink = new MqttSink(settings, client, maxInFlight);
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        sink.lost = cause;
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    // Paho frees its slot a moment after our listener runs: leave it room so it never refuses a publish.
    options.setMaxInflight(2 * maxInFlight + 10);
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().toCharArray());
    }
    if (settings.tls()) {
      options.setSocketFactory(SSLSocketFactory.getDefault());
    }
    try {
      client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(15));
    } catch (MqttException e) {
      closeQuietly(client);
      throw new SinkUnavailableException("the MQTT broker at " + settings.address() + " is not reachable ("
          + reason(e) + ")");
    }
    return sink;
  }

  @Override
  public void publish(Publication publication) throws InterruptedException {
    checkConnected();
    inFlight.acquire();
    boolean reception = publication.isReception();
    try {
      client.publish(publication.topic(), publication.payload(), 1, false, null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          (reception ? tally.receptions : tally.statuses).incrementAndGet();
          inFlight.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          tally.fail(1, "publish failed: " + reason(error));
          inFlight.release();
        }
      });
    } catch (MqttException e) {
      inFlight.release();
      tally.fail(1, "publish refused: " + reason(e));
      checkConnected();
    }
  }

  private void checkConnected() {
    Throwable cause = lost;
    if (cause != null || !client.isConnected()) {
      throw new SinkUnavailableException("lost the connection to the MQTT broker at " + settings.address()
          + (cause == null ? "" : " (" + reason(cause) + ")"));
    }
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    if (inFlight.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
      return true;
    }
    return false;
  }

  @Override
  public Tally tally() {
    return tally;
  }

  @Override
  public String describe() {
    return "MQTT broker " + settings.uri() + " (QoS 1, topics " + settings.prefix() + "/...)";
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(6_000);
      }
    } catch (MqttException e) {
      // closing anyway
    }
    closeQuietly(client);
  }

  private static void closeQuietly(MqttAsyncClient client) {
    try {
      client.close(true);
    } catch (MqttException e) {
      // nothing left to release
    }
  }

  /** Paho's message, with the underlying cause (e.g. "Connection refused") when there is one. */
  static String reason(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message = message + ": " + cause.getMessage();
    }
    return message;
  }
}
