package org.meshhub.core.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One MeshHub process per SQLite file. SQLite itself would let two processes share the file and fight over its
 * write lock; MeshHub holds an exclusive OS lock on {@code <file>.lock} for as long as it uses the file, and a
 * second process is refused with the first one's process id.
 */
public final class SqliteLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final Path lockFile;

  private SqliteLock(FileChannel channel, FileLock lock, Path lockFile) {
    this.channel = channel;
    this.lock = lock;
    this.lockFile = lockFile;
  }

  public static Path lockFileFor(Path databaseFile) {
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".lock");
  }

  /** Takes the lock or throws a refusal naming the process that holds it. */
  public static SqliteLock acquire(Path databaseFile) {
    Path lockFile = lockFileFor(databaseFile);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(channel).map(pid -> " (pid " + pid + ")").orElse("");
        channel.close();
        throw StorageException.refused("another MeshHub process" + holder + " is using " + databaseFile
            + "; one process per SQLite file (use PostgreSQL to run more than one)");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
          0);
      channel.force(false);
      return new SqliteLock(channel, lock, lockFile);
    } catch (IOException e) {
      closeQuietly(channel);
      throw StorageException.failed("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  /** True when a live process holds the lock on this database file (the file is left as it was). */
  public static boolean isHeld(Path databaseFile) {
    Path lockFile = lockFileFor(databaseFile);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      try {
        FileLock probe = channel.tryLock();
        if (probe == null) {
          return true;
        }
        probe.release();
        return false;
      } catch (OverlappingFileLockException e) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> readHolder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      int n = channel.read(buf, 0);
      if (n <= 0) {
        return Optional.empty();
      }
      String pid = new String(buf.array(), 0, n, StandardCharsets.UTF_8).trim();
      return pid.matches("\\d+") ? Optional.of(pid) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  public Path lockFile() {
    return lockFile;
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException ignored) {
      // the channel close below releases it as well
    }
    closeQuietly(channel);
  }
}
