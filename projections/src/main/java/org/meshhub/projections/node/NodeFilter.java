package org.meshhub.projections.node;

import java.util.List;
import org.meshhub.projections.query.QueryException;

/**
 * The filters and order of {@code GET /api/v1/nodes}; {@code null} means "not filtered".
 *
 * @param search case-insensitive part of the name, or a public key prefix
 * @param pubkeyPrefix lower-case hex prefix of the public key
 * @param advType the node type of its latest advert
 * @param observer only observers ({@code true}) or only non-observers ({@code false})
 * @param observedBy only nodes whose adverts this observer heard
 * @param sort {@code last_seen}, {@code first_seen}, {@code name}, {@code adv_type} or {@code advert_count}
 * @param ascending {@code order=asc}
 */
public record NodeFilter(
    String search,
    String pubkeyPrefix,
    String advType,
    Boolean observer,
    String observedBy,
    String sort,
    boolean ascending) {

  public static final List<String> SORTS = List.of("last_seen", "first_seen", "name", "adv_type", "advert_count");

  public NodeFilter {
    if (!SORTS.contains(sort)) {
      throw new QueryException("sort", "must be one of " + String.join(", ", SORTS) + ", got [" + sort + "]");
    }
    if (search != null && search.length() > 100) {
      throw new QueryException("search", "must be at most 100 characters");
    }
  }

  public static NodeFilter none() {
    return new NodeFilter(null, null, null, null, null, "last_seen", false);
  }
}
