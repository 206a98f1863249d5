package org.meshhub.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void publicKeysAre64LowerCaseHex() {
    assertTrue(Formats.isPublicKey("7e7662676f7f0850a8a355baafbfc1eb7b4174c340442d7d7161c9474a2c9400"));
    assertFalse(Formats.isPublicKey("7E7662676F7F0850A8A355BAAFBFC1EB7B4174C340442D7D7161C9474A2C9400"));
    assertFalse(Formats.isPublicKey("7e7662676f7f0850a8a355baafbfc1eb7b4174c340442d7d7161c9474a2c94"));
    assertFalse(Formats.isPublicKey("7e7662676f7f0850a8a355baafbfc1eb7b4174c340442d7d7161c9474a2c940g"));
    assertFalse(Formats.isPublicKey(null));
  }

  @Test
  void packetHashesAre16UpperCaseHex() {
    assertTrue(Formats.isPacketHash("75B10CB12C391078"));
    assertFalse(Formats.isPacketHash("75b10cb12c391078"));
    assertFalse(Formats.isPacketHash("75B10CB12C39107"));
  }

  @Test
  void hexIsWholeBytesInEitherCase() {
    assertTrue(Formats.isHex("0aFF"));
    assertFalse(Formats.isHex("0aF"));
    assertFalse(Formats.isHex(""));
    assertFalse(Formats.isHex("zz"));
    assertTrue(Formats.isLowerHex("0aff"));
    assertFalse(Formats.isLowerHex("0aFF"));
  }
}
