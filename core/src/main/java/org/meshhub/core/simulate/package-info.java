/**
 * A synthetic MeshCore mesh for demos and load tests.
 *
 * <p>{@link org.meshhub.core.simulate.SyntheticMesh} turns a seed into observers, nodes and their traffic, as
 * LetsMesh uploads ({@link org.meshhub.core.simulate.Publication}) built from real packets.
 * {@link org.meshhub.core.simulate.Pacer} plays them in real time; {@link org.meshhub.core.simulate.DemoFeed}
 * plays them into the ingest pipeline of a running collector ({@code meshhub serve --demo}), and
 * {@code meshhub simulate} publishes them to a broker or to the HTTP ingest endpoint.
 */
package org.meshhub.core.simulate;
