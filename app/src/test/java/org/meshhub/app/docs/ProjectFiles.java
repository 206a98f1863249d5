package org.meshhub.app.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's files, for tests that keep docs and deployment files true. */
final class ProjectFiles {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private ProjectFiles() {}

  static String read(String relative) {
    try {
      return Files.readString(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }

  /** Every file under the given folders whose name ends with one of the suffixes, skipping build output. */
  static List<Path> files(List<String> folders, String... suffixes) {
    try (Stream<Path> all = folders.stream().map(ROOT::resolve).filter(Files::isDirectory).flatMap(dir -> {
      try {
        return Files.walk(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    })) {
      return all.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
          .collect(Collectors.toList());
    }
  }
}
