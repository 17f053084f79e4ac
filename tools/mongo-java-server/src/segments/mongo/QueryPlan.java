package segments.mongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a query says about single fields that an index can use: equality (a value, {@code $eq} or
 * {@code $in}) and ranges ({@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}), also inside a
 * top-level {@code $and} and inside {@code $elemMatch} on sub-documents. Everything else
 * ({@code $or}, {@code $ne}, {@code $exists}, null, regexes, whole arrays or documents) is left to
 * the matcher. Every condition taken here is implied by the query, so the candidates it selects
 * are a superset of the matches.
 */
final class QueryPlan {
  /** More combinations of {@code $in} values than this and the index is used for fewer keys. */
  private static final int MAX_PREFIXES = 10_000;

  private final Map<String, List<Object>> equal = new LinkedHashMap<>();
  private final Map<String, Object[]> range = new LinkedHashMap<>();

  private QueryPlan() {}

  static QueryPlan of(Document query) {
    QueryPlan plan = new QueryPlan();
    plan.collect("", query);
    return plan;
  }

  private void collect(String prefix, Document query) {
    for (Map.Entry<String, Object> e : query.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key.equals("$and") && prefix.isEmpty() && value instanceof Collection<?> parts) {
        for (Object part : parts) if (part instanceof Document d) collect("", d);
      } else if (!key.startsWith("$")) {
        field(prefix + key, value);
      }
    }
  }

  private void field(String path, Object value) {
    if (isScalar(value)) {
      equal.putIfAbsent(path, List.of(KeyOrder.normalize(value)));
      return;
    }
    if (!(value instanceof Document ops) || ops.isEmpty()) return;
    for (String op : ops.keySet()) if (!op.startsWith("$")) return; // an exact sub-document
    for (Map.Entry<String, Object> o : ops.entrySet()) {
      Object v = o.getValue();
      switch (o.getKey()) {
        case "$eq" -> {
          if (isScalar(v)) equal.putIfAbsent(path, List.of(KeyOrder.normalize(v)));
        }
        case "$in" -> inList(path, v);
        case "$gt", "$gte" -> bound(path, v, 0);
        case "$lt", "$lte" -> bound(path, v, 1);
        case "$elemMatch" -> {
          if (v instanceof Document sub && sub.keySet().stream().noneMatch(k -> k.startsWith("$")))
            collect(path + ".", sub);
        }
        default -> {}
      }
    }
  }

  private void inList(String path, Object v) {
    if (!(v instanceof Collection<?> values) || equal.containsKey(path)) return;
    List<Object> out = new ArrayList<>();
    for (Object x : values) {
      if (!isScalar(x)) return;
      out.add(KeyOrder.normalize(x));
    }
    equal.put(path, out);
  }

  /** Keeps the tighter bound; a bound of another type than the first one seen is ignored. */
  private void bound(String path, Object raw, int side) {
    if (!isScalar(raw) || (raw instanceof Double d && d.isNaN())) return;
    Object v = KeyOrder.normalize(raw);
    Object[] r = range.computeIfAbsent(path, p -> new Object[2]);
    Object other = r[0] != null ? r[0] : r[1];
    if (other != null && !KeyOrder.sameType(other, v)) return;
    if (r[side] == null) {
      r[side] = v;
    } else {
      int c = KeyOrder.compareElement(v, r[side]);
      if (side == 0 ? c > 0 : c < 0) r[side] = v;
    }
  }

  static boolean isScalar(Object v) {
    return v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof Instant
        || v instanceof ObjectId
        || v instanceof UUID;
  }

  /** How well the index serves this query: 2 per leading key with equality, 1 for a range after them. */
  int score(SecondaryIndex<?> index) {
    int score = 0;
    for (String path : index.keys()) {
      if (equal.containsKey(path)) {
        score += 2;
      } else {
        if (range.containsKey(path)) score += 1;
        break;
      }
    }
    return score;
  }

  /** Equality values for each of these keys, or null when one has none. */
  List<List<Object>> equalities(List<String> keys) {
    List<List<Object>> out = new ArrayList<>();
    for (String k : keys) {
      List<Object> values = equal.get(k);
      if (values == null) return null;
      out.add(values);
    }
    return out;
  }

  /** The key ranges [from, to] (inclusive) of the index that hold every possible match. */
  List<Object[][]> ranges(SecondaryIndex<?> index) {
    List<String> keys = index.keys();
    int n = keys.size();
    List<Object[]> prefixes = new ArrayList<>();
    prefixes.add(new Object[0]);
    Object lo = null;
    Object hi = null;
    for (int i = 0; i < n; i++) {
      List<Object> values = equal.get(keys.get(i));
      if (values != null && (long) prefixes.size() * values.size() <= MAX_PREFIXES) {
        prefixes = extend(prefixes, values);
        continue;
      }
      Object[] r = values == null ? range.get(keys.get(i)) : null;
      if (r != null) {
        Object sample = r[0] != null ? r[0] : r[1];
        lo = r[0] != null ? r[0] : new KeyOrder.TypeEdge(sample, false);
        // On an array field one element may satisfy each side: only the lower side narrows safely.
        boolean bothSides = r[0] != null && r[1] != null;
        hi = r[1] != null && !(bothSides && index.isMultikey(i)) ? r[1] : new KeyOrder.TypeEdge(sample, true);
      }
      break;
    }
    List<Object[][]> out = new ArrayList<>(prefixes.size());
    for (Object[] p : prefixes) out.add(new Object[][] {pad(p, lo, KeyOrder.LOWEST, n), pad(p, hi, KeyOrder.HIGHEST, n)});
    return out;
  }

  private static List<Object[]> extend(List<Object[]> prefixes, List<Object> values) {
    List<Object[]> next = new ArrayList<>(prefixes.size() * values.size());
    for (Object[] p : prefixes) {
      for (Object v : values) {
        Object[] k = Arrays.copyOf(p, p.length + 1);
        k[p.length] = v;
        next.add(k);
      }
    }
    return next;
  }

  private static Object[] pad(Object[] prefix, Object bound, Object fill, int n) {
    Object[] k = Arrays.copyOf(prefix, n);
    int i = prefix.length;
    if (bound != null && i < n) k[i++] = bound;
    while (i < n) k[i++] = fill;
    return k;
  }
}
