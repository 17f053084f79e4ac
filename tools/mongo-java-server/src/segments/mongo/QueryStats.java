package segments.mongo;

import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per collection, which index served each query shape and which shapes scanned. Read with
 * the command {@code {segmentsQueryStats: 1, reset?: true}} on a database: the tests use it to prove
 * that no hot query scans (MongoDB's own answer to that question is {@code explain}).
 */
final class QueryStats {
  static final String COMMAND = "segmentsQueryStats";
  private static final Map<String, Map<String, AtomicLong>> byCollection = new ConcurrentHashMap<>();

  private QueryStats() {}

  static void record(String collection, Document query, String index) {
    String line = (index == null ? "SCAN " : "INDEX " + index + " ") + shape(query);
    byCollection
        .computeIfAbsent(collection, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(line, l -> new AtomicLong())
        .incrementAndGet();
  }

  /** The query with its values replaced by their types: {@code {workspaceId: string, _id: {$in: array}}}. */
  static String shape(Object value) {
    if (value instanceof Document d) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<String, Object> e : d.entrySet()) {
        if (b.length() > 1) b.append(", ");
        b.append(e.getKey()).append(": ").append(shape(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (value instanceof Collection<?> c) {
      if (c.stream().allMatch(x -> x instanceof Document)) {
        StringBuilder b = new StringBuilder("[");
        for (Object x : c) b.append(b.length() > 1 ? ", " : "").append(shape(x));
        return b.append(']').toString();
      }
      return "array";
    }
    return value == null ? "null" : value.getClass().getSimpleName().toLowerCase();
  }

  /** The command's answer: {collections: {name: {shape: count}}, jvm: {usedBytes, maxBytes}}. */
  static Document command(String database, Document query) {
    Document collections = new Document();
    String prefix = database + ".";
    for (Map.Entry<String, Map<String, AtomicLong>> e : new TreeMap<>(byCollection).entrySet()) {
      if (!e.getKey().startsWith(prefix)) continue;
      Document shapes = new Document();
      new TreeMap<>(e.getValue()).forEach((k, v) -> shapes.append(k, v.get()));
      collections.append(e.getKey().substring(prefix.length()), shapes);
    }
    if (Boolean.TRUE.equals(query.get("reset"))) byCollection.keySet().removeIf(k -> k.startsWith(prefix));
    Runtime rt = Runtime.getRuntime();
    Document jvm = new Document("usedBytes", rt.totalMemory() - rt.freeMemory()).append("maxBytes", rt.maxMemory());
    return new Document("collections", collections).append("jvm", jvm).append("ok", 1.0);
  }
}
