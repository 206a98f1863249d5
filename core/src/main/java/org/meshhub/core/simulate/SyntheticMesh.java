package org.meshhub.core.simulate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.NodeIdentity;
import org.meshhub.core.decoder.Packet;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.decoder.PacketEncoder;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.decoder.RouteType;

/**
 * A deterministic synthetic MeshCore mesh, as its observers upload it: an endless sequence of {@link Publication}s in
 * the LetsMesh format, built from real packets (signed adverts, encrypted channel messages, traces) that go through
 * the real decoder.
 *
 * <ul>
 *   <li>Nodes: companions, repeaters, room servers and sensors with names and locations around Seattle; a few
 *       observers (repeaters themselves) in the regions SEA, PAE, BFI and on. Keys derive from the seed.
 *   <li>Traffic: first one advert from every node, observers first, so that a collector knows the whole mesh within
 *       seconds; then adverts in turn (up to a fifth of the packets, each node at most once a minute), Public
 *       channel messages (half, and the adverts' share when none is due), messages on the hashtag channel
 *       {@link #HASHTAG_CHANNEL} (a quarter of them scoped to a region with transport codes), and traces.
 *   <li>Each packet is heard by 1 to all observers (never by its own sender), each with its own path, SNR and RSSI.
 *       Flood packets keep one hash across observers; a trace's hash depends on how many hops it had made.
 *   <li>Receptions are spaced evenly at {@link Settings#receptionsPerSecond()} from {@link Settings#start()}; every
 *       observer publishes a status at the start and then every {@link Settings#statusInterval()}.
 * </ul>
 *
 * <p>Every advert and message is distinct: a node's advert timestamps and message timestamps strictly increase, so
 * a node asked to send more than one of either per second runs its clock ahead. The same settings give the same
 * sequence, byte for byte. Not thread-safe.
 */
public final class SyntheticMesh implements Iterator<Publication> {
  /** The hashtag channel the synthetic nodes chat on besides Public. */
  public static final ChannelKey HASHTAG_CHANNEL = ChannelKey.hashtag("#weather");

  static final double CENTRE_LAT = 47.6062;
  static final double CENTRE_LON = -122.3321;
  static final double RADIUS_KM = 40;
  /**
   * A node adverts again at most this often (on the timeline): adverts are signed, and Ed25519 is the costliest
   * part of the simulation, so at high rates the share of adverts falls and messages fill the difference.
   */
  static final long ADVERT_INTERVAL_SECONDS = 60;
  static final String FIRMWARE = "v1.17.1";
  static final String RADIO = "910.525,62.5,7,5";
  private static final List<String> IATA_CODES = List.of("SEA", "PAE", "BFI", "TIW", "OLM", "BLI", "PDX", "YVR");

  /**
   * What to simulate.
   *
   * @param seed everything random derives from it
   * @param nodes nodes besides the observers (1-100,000)
   * @param observers observers (1-1,000)
   * @param receptionsPerSecond spacing of the receptions on the timeline
   * @param start the timeline's origin: the first status and the first reception
   * @param prefix the topic prefix (MQTT_PREFIX), one or more levels without wildcards
   * @param statusInterval time between two status rounds of the observers
   */
  public record Settings(long seed, int nodes, int observers, double receptionsPerSecond, Instant start,
      String prefix, Duration statusInterval) {
    public static final int DEFAULT_OBSERVERS = 3;
    public static final String DEFAULT_PREFIX = "meshcore";
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofMinutes(1);
    public static final int MAX_NODES = 100_000;
    public static final int MAX_OBSERVERS = 1_000;
    public static final double MAX_RATE = 1_000_000;
    private static final Pattern PREFIX = Pattern.compile("[^/+#\\s]+(/[^/+#\\s]+)*");

    public Settings {
      if (nodes < 1 || nodes > MAX_NODES) {
        throw new IllegalArgumentException("nodes must be between 1 and " + MAX_NODES + ", got " + nodes);
      }
      if (observers < 1 || observers > MAX_OBSERVERS) {
        throw new IllegalArgumentException(
            "observers must be between 1 and " + MAX_OBSERVERS + ", got " + observers);
      }
      if (!(receptionsPerSecond > 0) || receptionsPerSecond > MAX_RATE) {
        throw new IllegalArgumentException(
            "the rate must be above 0 and at most " + (long) MAX_RATE + " receptions/s, got " + receptionsPerSecond);
      }
      Objects.requireNonNull(start, "start");
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("the topic prefix must be topic levels without wildcards, got '"
            + prefix + "'");
      }
      if (statusInterval == null || statusInterval.isNegative() || statusInterval.isZero()) {
        throw new IllegalArgumentException("the status interval must be positive");
      }
    }

    /** Default prefix and status interval. */
    public static Settings of(long seed, int nodes, int observers, double receptionsPerSecond, Instant start) {
      return new Settings(seed, nodes, observers, receptionsPerSecond, start, DEFAULT_PREFIX,
          DEFAULT_STATUS_INTERVAL);
    }

    public Settings withPrefix(String newPrefix) {
      return new Settings(seed, nodes, observers, receptionsPerSecond, start, newPrefix, statusInterval);
    }

    public Settings withStatusInterval(Duration interval) {
      return new Settings(seed, nodes, observers, receptionsPerSecond, start, prefix, interval);
    }

    /** When reception number {@code index} (from 0) is due. */
    public Instant receptionTime(long index) {
      return start.plusNanos(Math.round(index * (1e9 / receptionsPerSecond)));
    }
  }

  /** One observer hearing one packet. {@code packet} is the decoded packet the hash and types are taken from. */
  private record Heard(int observer, byte[] raw, Packet packet) {}

  private final Settings settings;
  private final List<Observer> observers;
  private final List<MeshNode> nodes;
  private final List<MeshNode> advertisers;
  private final List<MeshNode> forwarders;
  private final List<MeshNode> talkers;
  /** Each talker's position in {@link #advertisers}, where its clocks are kept. */
  private final int[] talkerSlots;
  private final long[] lastAdvert;
  private final long[] lastMessage;
  private final ObserverState[] observerStates;
  private final PacketEncoder encoder = new PacketEncoder();
  private final PacketEncoder regionalEncoder;
  private final PacketDecoder decoder = new PacketDecoder(ChannelKeys.none());
  private final Random random;
  private final ArrayDeque<Publication> pending = new ArrayDeque<>();
  /** Receptions placed on the timeline so far (handed out or queued). */
  private long scheduled;
  private long receptions;
  private long statuses;
  private int advertCursor;
  private Instant nextStatusAt;

  public SyntheticMesh(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    List<Observer> obs = new ArrayList<>();
    for (int i = 0; i < settings.observers(); i++) {
      obs.add(observer(settings.seed(), i));
    }
    this.observers = List.copyOf(obs);
    List<MeshNode> ns = new ArrayList<>();
    for (int i = 0; i < settings.nodes(); i++) {
      ns.add(node(settings.seed(), i));
    }
    this.nodes = List.copyOf(ns);
    List<MeshNode> all = new ArrayList<>();
    observers.forEach(o -> all.add(o.node()));
    all.addAll(nodes);
    this.advertisers = List.copyOf(all);
    this.forwarders = all.stream().filter(MeshNode::forwards).toList();
    List<MeshNode> chat = nodes.stream().filter(n -> n.nodeType() == MeshNode.CHAT).toList();
    this.talkers = chat.isEmpty() ? nodes : chat;
    this.talkerSlots = new int[talkers.size()];
    for (int i = 0, t = 0; i < nodes.size() && t < talkers.size(); i++) {
      if (nodes.get(i) == talkers.get(t)) {
        talkerSlots[t++] = observers.size() + i;
      }
    }
    this.lastAdvert = new long[advertisers.size()];
    this.lastMessage = new long[advertisers.size()];
    this.observerStates = new ObserverState[observers.size()];
    for (int i = 0; i < observerStates.length; i++) {
      observerStates[i] = new ObserverState(new Random(mix(settings.seed(), 3, i)));
    }
    this.regionalEncoder = PacketEncoder.forRegion("#" + observers.get(0).iata().toLowerCase(Locale.ROOT));
    this.random = new Random(mix(settings.seed(), 4, 0));
    this.nextStatusAt = settings.start();
  }

  public Settings settings() {
    return settings;
  }

  public List<Observer> observers() {
    return observers;
  }

  /** The nodes besides the observers. */
  public List<MeshNode> nodes() {
    return nodes;
  }

  /** Receptions (packets-feed publications) handed out so far. */
  public long receptions() {
    return receptions;
  }

  /** Status publications handed out so far. */
  public long statuses() {
    return statuses;
  }

  /** Always true: the mesh never stops talking. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Publication next() {
    while (pending.isEmpty()) {
      nextPacket();
    }
    Publication next = pending.poll();
    if (next.isReception()) {
      receptions++;
    } else {
      statuses++;
    }
    return next;
  }

  /** This mesh as an endless ordered stream (it consumes this iterator). */
  public Stream<Publication> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Traffic

  private void nextPacket() {
    long now = settings.receptionTime(scheduled).getEpochSecond();
    List<Heard> heard;
    if (advertCursor < advertisers.size()) {
      heard = advert(advertCursor++, now);
    } else {
      double u = random.nextDouble();
      int next = advertCursor % advertisers.size();
      if (u < 0.20 && now - lastAdvert[next] >= ADVERT_INTERVAL_SECONDS) {
        advertCursor++;
        heard = advert(next, now);
      } else if (u < 0.70) {
        heard = channelMessage(true, now);
      } else if (u < 0.92) {
        heard = channelMessage(false, now);
      } else {
        heard = trace();
      }
    }
    for (Heard h : heard) {
      Instant at = settings.receptionTime(scheduled);
      statusesDueBy(at);
      pending.add(reception(h, at));
      scheduled++;
    }
  }

  private List<Heard> advert(int index, long now) {
    MeshNode node = advertisers.get(index);
    long timestamp = Math.max(now, lastAdvert[index] + 1);
    lastAdvert[index] = timestamp;
    byte[] bare = encoder.advert(node.identity(), timestamp, node.nodeType(), node.lat(), node.lon(), node.name(),
        RouteType.FLOOD, List.of(), node.pathHashSize());
    Packet packet = decode(bare);
    return flood(node, packet, encoder);
  }

  private List<Heard> channelMessage(boolean onPublic, long now) {
    int index = random.nextInt(talkers.size());
    MeshNode sender = talkers.get(index);
    int slot = talkerSlots[index];
    long timestamp = Math.max(now, lastMessage[slot] + 1);
    lastMessage[slot] = timestamp;
    String line = onPublic ? Phrases.publicLine(random) : Phrases.weatherLine(random);
    ChannelKey key = onPublic ? ChannelKey.PUBLIC : HASHTAG_CHANNEL;
    byte[] bare = encoder.groupText(key, timestamp, sender.name() + ": " + line, RouteType.FLOOD, List.of(),
        sender.pathHashSize());
    Packet packet = decode(bare);
    if (!onPublic && random.nextInt(4) == 0) {
      byte[] scoped = regionalEncoder.frame(RouteType.TRANSPORT_FLOOD, PayloadType.GRP_TXT, List.of(),
          sender.pathHashSize(), packet.payloadBytes());
      return flood(sender, decode(scoped), regionalEncoder);
    }
    return flood(sender, packet, encoder);
  }

  /** The packet as heard by each observer, each with a path of its own; the payload (and so the hash) is shared. */
  private List<Heard> flood(MeshNode origin, Packet packet, PacketEncoder framer) {
    byte[] payload = packet.payloadBytes();
    List<Heard> heard = new ArrayList<>();
    for (int o : hearers(origin)) {
      List<byte[]> path = new ArrayList<>();
      for (MeshNode hop : hops(origin, observers.get(o).node())) {
        path.add(hop.identity().hash(origin.pathHashSize()));
      }
      byte[] raw = framer.frame(packet.routeType(), packet.payloadType(), path, origin.pathHashSize(), payload);
      heard.add(new Heard(o, raw, packet));
    }
    return heard;
  }

  /** A trace along 1-3 repeaters; each observer hears it after some of its hops, so with its own hash. */
  private List<Heard> trace() {
    if (forwarders.isEmpty()) {
      return channelMessage(true, settings.receptionTime(scheduled).getEpochSecond());
    }
    List<MeshNode> route = sample(forwarders, 1 + random.nextInt(Math.min(3, forwarders.size())), null, null);
    List<byte[]> routeHashes = route.stream().map(n -> n.identity().hash(1)).toList();
    List<Double> snrs = new ArrayList<>();
    for (int i = 0; i < route.size(); i++) {
      snrs.add(quarterDb(-10, 12));
    }
    long tag = random.nextInt() & 0xFFFF_FFFFL;
    long auth = random.nextInt() & 0xFFFF_FFFFL;
    List<Heard> heard = new ArrayList<>();
    for (int o : hearers(null)) {
      int hops = random.nextInt(route.size() + 1);
      byte[] raw = encoder.trace(tag, auth, 0, routeHashes, snrs.subList(0, hops));
      heard.add(new Heard(o, raw, decode(raw)));
    }
    return heard;
  }

  /** 1 to all observers, in a random order, never the sender itself. */
  private List<Integer> hearers(MeshNode origin) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < observers.size(); i++) {
      if (observers.get(i).node() != origin) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    int count = 1 + random.nextInt(candidates.size());
    return sample(candidates, count, null, null);
  }

  /** The repeaters a flood crossed between its origin and an observer: 0-4 of them, mostly 1-2. */
  private List<MeshNode> hops(MeshNode origin, MeshNode observer) {
    double u = random.nextDouble();
    int wanted = u < 0.2 ? 0 : u < 0.55 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : 4;
    return sample(forwarders, wanted, origin, observer);
  }

  /** Up to {@code count} distinct items in random order, leaving out two given ones. */
  private <T> List<T> sample(List<T> items, int count, T skip1, T skip2) {
    if (items.size() > 4 * count + 8) {
      // Few from many: draw and redraw, without copying a list of maybe thousands of repeaters.
      List<T> chosen = new ArrayList<>(count);
      while (chosen.size() < count) {
        T item = items.get(random.nextInt(items.size()));
        if (item != skip1 && item != skip2 && !chosen.contains(item)) {
          chosen.add(item);
        }
      }
      return List.copyOf(chosen);
    }
    List<T> pool = new ArrayList<>(items.size());
    for (T item : items) {
      if (item != skip1 && item != skip2) {
        pool.add(item);
      }
    }
    int n = Math.min(count, pool.size());
    for (int i = 0; i < n; i++) {
      Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
    }
    return List.copyOf(pool.subList(0, n));
  }

  private Publication reception(Heard heard, Instant at) {
    Observer observer = observers.get(heard.observer());
    ObserverState state = observerStates[heard.observer()];
    double snr = quarterDb(-12, 12);
    int rssi = (int) Math.max(-125, Math.min(-40, Math.round(-104 + snr * 2.5 + random.nextInt(13) - 6)));
    int score = (int) Math.max(0, Math.min(1000, Math.round((snr + 15) / 27 * 1000)));
    LetsMeshJson.Signal signal = new LetsMeshJson.Signal(snr, rssi, score);
    state.heard(heard.packet().routeType().isFlood(), signal);
    return new Publication(topic(observer, Publication.FEED_PACKETS), LetsMeshJson.packet(observer, at, heard.raw(),
        heard.packet(), signal), at);
  }

  private void statusesDueBy(Instant at) {
    while (!nextStatusAt.isAfter(at)) {
      for (int i = 0; i < observers.size(); i++) {
        Observer observer = observers.get(i);
        ObserverState state = observerStates[i];
        long uptime = state.bootUptime + Duration.between(settings.start(), nextStatusAt).getSeconds();
        LetsMeshJson.Status status = new LetsMeshJson.Status(FIRMWARE, RADIO, uptime, state.batteryMillivolts,
            state.noiseFloor, state.received, state.received * 3 / 5, state.floodReceived, state.directReceived,
            state.last);
        pending.add(new Publication(topic(observer, Publication.FEED_STATUS),
            LetsMeshJson.status(observer, nextStatusAt, status), nextStatusAt));
      }
      nextStatusAt = nextStatusAt.plus(settings.statusInterval());
    }
  }

  private String topic(Observer observer, String feed) {
    return settings.prefix() + "/" + observer.iata() + "/" + observer.publicKey() + "/" + feed;
  }

  private double quarterDb(int min, int max) {
    return (min * 4 + random.nextInt((max - min) * 4 + 1)) / 4.0;
  }

  private Packet decode(byte[] raw) {
    DecodeResult result = decoder.decode(raw);
    if (result instanceof DecodeResult.Decoded decoded) {
      return decoded.packet();
    }
    throw new IllegalStateException("the simulator built a packet the decoder rejects: " + result);
  }

  /** What an observer's status reports; counters follow what it heard. */
  private static final class ObserverState {
    final long bootUptime;
    final int batteryMillivolts;
    final int noiseFloor;
    long received;
    long floodReceived;
    long directReceived;
    LetsMeshJson.Signal last;

    ObserverState(Random random) {
      this.bootUptime = 3_600L + random.nextInt(30 * 86_400);
      this.batteryMillivolts = 3_700 + random.nextInt(500);
      this.noiseFloor = -118 + random.nextInt(9);
    }

    void heard(boolean flood, LetsMeshJson.Signal signal) {
      received++;
      if (flood) {
        floodReceived++;
      } else {
        directReceived++;
      }
      last = signal;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The mesh's members: each derives from the seed and its own number only, so that node 7 is the same node
  // whatever the node count.

  private static Observer observer(long seed, int index) {
    Random random = new Random(mix(seed, 1, index));
    String iata = IATA_CODES.get(index % IATA_CODES.size());
    NodeIdentity identity = NodeIdentity.fromSeed(keySeed(seed, "observer", index));
    double[] location = location(random);
    MeshNode node = new MeshNode(Phrases.observerName(random, iata), identity, MeshNode.REPEATER, location[0],
        location[1], 1);
    return new Observer(node, iata, Phrases.model(random));
  }

  private static MeshNode node(long seed, int index) {
    Random random = new Random(mix(seed, 2, index));
    NodeIdentity identity = NodeIdentity.fromSeed(keySeed(seed, "node", index));
    double u = random.nextDouble();
    int type = u < 0.30 ? MeshNode.REPEATER : u < 0.85 ? MeshNode.CHAT : u < 0.95 ? MeshNode.ROOM : MeshNode.SENSOR;
    String tag = identity.publicKeyHex().substring(0, 2).toUpperCase(Locale.ROOT);
    String name = Phrases.nodeName(random, type, tag);
    double[] location = location(random);
    boolean located = type != MeshNode.CHAT || random.nextDouble() < 0.6;
    double h = random.nextDouble();
    int hashSize = h < 0.8 ? 1 : h < 0.95 ? 2 : 3;
    return new MeshNode(name, identity, type, located ? location[0] : null, located ? location[1] : null, hashSize);
  }

  /** A point uniformly spread within {@link #RADIUS_KM} of the centre, rounded to 1e-6 degrees. */
  private static double[] location(Random random) {
    double r = RADIUS_KM * Math.sqrt(random.nextDouble());
    double theta = 2 * Math.PI * random.nextDouble();
    double lat = CENTRE_LAT + r * Math.cos(theta) / 111.32;
    double lon = CENTRE_LON + r * Math.sin(theta) / (111.32 * Math.cos(Math.toRadians(CENTRE_LAT)));
    return new double[] {Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6};
  }

  private static byte[] keySeed(long seed, String role, int index) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(("meshhub-simulate|" + seed + "|" + role + "|" + index).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** SplitMix64 over the seed, a stream number and an index: independent random sources per purpose. */
  static long mix(long seed, long stream, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream * 1_000_003L + index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
