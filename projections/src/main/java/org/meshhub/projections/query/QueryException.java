package org.meshhub.projections.query;

/** A query parameter that cannot be used as given; the API answers it with a 400 naming the parameter. */
public final class QueryException extends RuntimeException {
  private final String parameter;

  public QueryException(String parameter, String problem) {
    super(parameter + ": " + problem);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
