package segments.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A non-unique (compound, multikey) index kept in memory: key → the documents that have it, by
 * {@code _id}. mongo-java-server 1.47 answers {@code createIndex} without {@code unique} with an
 * index that is never used; this one is kept up to date on insert, update and delete and serves
 * equality, {@code $in} and range lookups on a prefix of its keys (see {@link QueryPlan}). It only
 * ever narrows the candidates: the server's matcher still checks every one against the whole query,
 * so results are those of a scan. On the H2 backend it is rebuilt from the documents at start-up
 * (the server does that for any empty index), so nothing extra is written to the file.
 */
final class SecondaryIndex<P> extends Index<P> {
  private final TreeMap<Object[], Map<Object, P>> entries = new TreeMap<>(KeyOrder.INSTANCE);
  /** Per key position: has any document had an array there? (Two-sided ranges then use one side.) */
  private final boolean[] multikey;
  private long size;

  SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.multikey = new boolean[keys.size()];
  }

  /** Every key of the document: one per combination of array elements; an empty array counts as null. */
  private List<Object[]> keysOf(Document document) {
    List<String> paths = keys();
    List<List<Object>> perPath = new ArrayList<>();
    boolean allMissing = true;
    for (int i = 0; i < paths.size(); i++) {
      Object raw = Utils.getSubdocumentValueCollectionAware(document, paths.get(i));
      if (!(raw instanceof Missing)) allMissing = false;
      List<Object> values = new ArrayList<>();
      if (raw instanceof Collection<?> c) {
        multikey[i] = true;
        for (Object v : c) {
          Object n = KeyOrder.normalize(v);
          // The matcher's $in also looks into an array inside the array ({$in: ['a']} matches
          // [['a']]): index the inner values too, so such a document stays a candidate.
          if (n instanceof Collection<?> inner) for (Object x : inner) values.add(KeyOrder.keyElement(x));
          values.add(KeyOrder.keyElement(n));
        }
        if (values.isEmpty()) values.add(null);
      } else {
        values.add(KeyOrder.keyElement(KeyOrder.normalize(raw)));
      }
      perPath.add(new ArrayList<>(new LinkedHashSet<>(values)));
    }
    if (allMissing && isSparse()) return List.of();
    List<Object[]> out = new ArrayList<>();
    out.add(new Object[0]);
    for (List<Object> values : perPath) {
      List<Object[]> next = new ArrayList<>(out.size() * values.size());
      for (Object[] prefix : out) {
        for (Object v : values) {
          Object[] k = Arrays.copyOf(prefix, prefix.length + 1);
          k[prefix.length] = v;
          next.add(k);
        }
      }
      out = next;
    }
    return out;
  }

  private static Object idOf(Document document) {
    return KeyOrder.normalize(document.get("_id"));
  }

  boolean isMultikey(int keyPosition) {
    return multikey[keyPosition];
  }

  @Override
  public List<String> keys() {
    return super.keys();
  }

  @Override
  public P getPosition(Document document) {
    return null; // many documents share a key: the unique _id index answers this
  }

  @Override
  public void checkAdd(Document document, MongoCollection<P> collection) {}

  @Override
  public synchronized void add(Document document, P position, MongoCollection<P> collection) {
    Object id = idOf(document);
    for (Object[] key : keysOf(document)) {
      if (entries.computeIfAbsent(key, k -> new HashMap<>(2)).put(id, position) == null) size++;
    }
  }

  @Override
  public synchronized P remove(Document document) {
    Object id = idOf(document);
    P found = null;
    for (Object[] key : keysOf(document)) {
      Map<Object, P> docs = entries.get(key);
      if (docs == null) continue;
      P p = docs.remove(id);
      if (p != null) {
        found = p;
        size--;
      }
      if (docs.isEmpty()) entries.remove(key);
    }
    return found;
  }

  @Override
  public boolean canHandle(Document query) {
    return QueryPlan.of(query).score(this) > 0;
  }

  @Override
  public synchronized Iterable<P> getPositions(Document query) {
    return positions(QueryPlan.of(query).ranges(this));
  }

  /** The positions of every document whose key lies in one of the [from, to] ranges. */
  synchronized Set<P> positions(List<Object[][]> ranges) {
    Set<P> out = new LinkedHashSet<>();
    for (Object[][] range : ranges) {
      // Crossed bounds ({$gt: 5, $lt: 1}) match nothing, as a scan finds; TreeMap.subMap would
      // throw "fromKey > toKey" and fail the query instead.
      if (KeyOrder.INSTANCE.compare(range[0], range[1]) > 0) continue;
      NavigableMap<Object[], Map<Object, P>> sub = entries.subMap(range[0], true, range[1], true);
      for (Map<Object, P> docs : sub.values()) out.addAll(docs.values());
    }
    return out;
  }

  @Override
  public synchronized long getCount() {
    return size;
  }

  @Override
  public long getDataSize() {
    return getCount() * 64;
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {}

  @Override
  public synchronized void updateInPlace(
      Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
    if (sameKeys(keysOf(oldDocument), keysOf(newDocument))) return;
    remove(oldDocument);
    add(newDocument, position, collection);
  }

  private static boolean sameKeys(List<Object[]> a, List<Object[]> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) {
      if (KeyOrder.INSTANCE.compare(a.get(i), b.get(i)) != 0) return false;
    }
    return true;
  }

  @Override
  public synchronized void drop() {
    entries.clear();
    size = 0;
  }
}
