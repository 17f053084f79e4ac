package segments.mongo;

import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the index for a query (mongo-java-server takes the first index whose keys equal the
 * query's, and so scans for almost every real query):
 * <ol>
 *   <li>a unique index (such as {@code _id}) whose every key has equality in the query: at most one
 *       document per combination, even when the query has further conditions;
 *   <li>a unique index that handles the query itself (its own rule: keys equal the query's);
 *   <li>the secondary index with the longest equality prefix, then a range;
 *   <li>else a scan.
 * </ol>
 * Candidates are returned in natural order, so results (and {@code findOne} without a sort)
 * are exactly those of a scan.
 */
final class Planner {
  private static final int MAX_UNIQUE_LOOKUPS = 1_000;

  private Planner() {}

  /** The candidate positions in natural order, or null to scan. */
  static <P> List<P> candidates(
      AbstractMongoCollection<P> collection, Document query, Document orderBy, Comparator<P> natural) {
    if (orderBy != null && orderBy.containsKey("$natural")) return null;
    List<Index<P>> indexes = collection.getIndexes();
    QueryPlan plan = QueryPlan.of(query);
    Set<P> found = null;
    String used = null;
    for (Index<P> index : indexes) {
      if (!index.isUnique()) continue;
      found = uniqueLookup(index, plan);
      if (found == null && plainLookup(query) && index.canHandle(query)) found = toSet(index.getPositions(query));
      if (found != null) {
        used = index.getName();
        break;
      }
    }
    if (found == null) {
      SecondaryIndex<P> best = null;
      int bestScore = 0;
      for (Index<P> index : indexes) {
        if (!(index instanceof SecondaryIndex<P> s)) continue;
        int score = plan.score(s);
        if (score > bestScore) {
          best = s;
          bestScore = score;
        }
      }
      if (best != null) {
        found = best.positions(plan.ranges(best));
        used = best.getName();
      }
    }
    QueryStats.record(collection.getFullName(), query, used);
    if (found == null) return null;
    List<P> ordered = new ArrayList<>(found);
    ordered.sort(natural);
    return ordered;
  }

  private static <P> Set<P> uniqueLookup(Index<P> index, QueryPlan plan) {
    List<String> keys = index.getKeys().stream().map(k -> k.getKey()).toList();
    List<List<Object>> values = plan.equalities(keys);
    if (values == null) return null;
    long combinations = 1;
    for (List<Object> v : values) combinations *= v.size();
    if (combinations > MAX_UNIQUE_LOOKUPS) return null;
    List<Document> lookups = new ArrayList<>();
    lookups.add(new Document());
    for (int i = 0; i < keys.size(); i++) {
      List<Document> next = new ArrayList<>();
      for (Document d : lookups) {
        for (Object v : values.get(i)) next.add(d.clone().append(keys.get(i), v));
      }
      lookups = next;
    }
    Set<P> out = new LinkedHashSet<>();
    for (Document lookup : lookups) index.getPositions(lookup).forEach(out::add);
    return out;
  }

  /**
   * Whether the server's own unique-index lookup gives the scan's answer for this query: only
   * when every value is a scalar, null or an {@code $in} of scalars. Its other paths differ from
   * the matcher: an {@code $in} of two regexes fails ("can't compare BsonRegularExpression"), an
   * {@code $in} with null on a sparse index misses the documents without the field, and a regex
   * sees only string keys while the matcher also matches numbers ({@code {_id: /1/}} finds _id 1).
   */
  static boolean plainLookup(Document query) {
    for (Object v : query.values()) {
      if (v == null || QueryPlan.isScalar(v)) continue;
      if (!(v instanceof Document d) || d.size() != 1 || !(d.get("$in") instanceof Collection<?> in)) return false;
      for (Object x : in) if (!QueryPlan.isScalar(x)) return false;
    }
    return true;
  }

  private static <P> Set<P> toSet(Iterable<P> positions) {
    Set<P> out = new LinkedHashSet<>();
    positions.forEach(out::add);
    return out;
  }
}
