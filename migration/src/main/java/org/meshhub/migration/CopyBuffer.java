package org.meshhub.migration;

import java.util.Arrays;

/**
 * A growable byte buffer holding rows in PostgreSQL's binary COPY format: per row a 16-bit field count, then per
 * field a 32-bit length ({@code -1} for NULL) and the value in the type's binary form, all big-endian.
 */
final class CopyBuffer {
  /** The binary COPY header: signature, flags, header-extension length. */
  static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

  /** The binary COPY trailer: a field count of -1. */
  static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};

  private byte[] buf;
  private int size;

  CopyBuffer(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return buf;
  }

  void reset() {
    size = 0;
  }

  /** Shrinks back to a capacity once an unusually large batch has passed. */
  void trim(int capacity) {
    if (buf.length > capacity * 2 && size <= capacity) {
      buf = Arrays.copyOf(buf, capacity);
    }
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    int need = size + more;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  void putShort(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void putInt(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void putLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
  }

  void putByte(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void putBytes(byte[] b) {
    putBytes(b, 0, b.length);
  }

  void putBytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** A NULL field. */
  void putNull() {
    putInt(-1);
  }

  /** Drops everything written after {@code mark} (a row that failed half-way). */
  void truncate(int mark) {
    size = mark;
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  static int getShort(byte[] b, int off) {
    return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
