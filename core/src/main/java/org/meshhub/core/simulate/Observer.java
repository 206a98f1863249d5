package org.meshhub.core.simulate;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An observer of the synthetic mesh: a repeater that uploads what it hears, under
 * {@code <prefix>/<iata>/<public key>/...}.
 *
 * @param node the observer's own node (it advertises like any repeater)
 * @param iata its three-letter region code, upper case
 * @param model the radio model reported in its status
 */
public record Observer(MeshNode node, String iata, String model) {
  private static final Pattern IATA = Pattern.compile("[A-Z]{3}");

  public Observer {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(model, "model");
    if (iata == null || !IATA.matcher(iata).matches()) {
      throw new IllegalArgumentException("IATA code must be three upper-case letters, got " + iata);
    }
  }

  public String name() {
    return node.name();
  }

  public String publicKey() {
    return node.publicKey();
  }
}
