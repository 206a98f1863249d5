package org.meshhub.projections;

/**
 * The physical names of the read tables a writer uses: the live tables the API reads, or the shadow tables a
 * rebuild fills before it swaps them in ({@code <table>_rebuild}).
 */
public record TableNames(String suffix) {
  public static final String SHADOW_SUFFIX = "_rebuild";

  public TableNames {
    if (!suffix.matches("[a-z_]*")) {
      throw new IllegalArgumentException("a table suffix is lower-case letters and _, got [" + suffix + "]");
    }
  }

  public static TableNames live() {
    return new TableNames("");
  }

  public static TableNames shadow() {
    return new TableNames(SHADOW_SUFFIX);
  }

  /** The physical name of a logical table. */
  public String of(String table) {
    return table + suffix;
  }
}
