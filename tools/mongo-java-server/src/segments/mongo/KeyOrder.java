package segments.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The order of secondary-index keys: element by element in MongoDB's value order (the server's
 * own {@link ValueComparator}), plus sentinels that only ever appear in lookup bounds. A range
 * such as {@code $lte: <date>} must not walk every null or number in front of the dates, because
 * the matcher compares only values of the same type ("type bracketing"); {@link TypeEdge} marks the
 * first or last possible value of one type.
 */
final class KeyOrder implements Comparator<Object[]> {
  static final KeyOrder INSTANCE = new KeyOrder();

  /** Below or above every value of every type. */
  static final Object LOWEST = new Object();
  static final Object HIGHEST = new Object();

  /**
   * Stands for every value a lookup never asks for: sub-documents, arrays inside arrays, regexes,
   * timestamps... (the planner only looks up scalars, see {@link QueryPlan#isScalar}). The
   * server's ValueComparator cannot order them as keys: it compares an array by its smallest
   * element, [] against [] (also inside a document) gives -1 both ways, and two regexes throw.
   * With such keys the TreeMap lost entries, and deleting {profile: {x: []}} with an index on
   * profile failed with "Found no position". Sorts above every value, below HIGHEST.
   */
  static final Object NON_SCALAR = new Object() {
    @Override
    public String toString() {
      return "NON_SCALAR";
    }
  };

  /** Just before (low) or after (high) every value of {@code sample}'s type. */
  record TypeEdge(Object sample, boolean high) {}

  private KeyOrder() {}

  /**
   * The value as the server stores it in an index: numbers as doubles, missing as null. Strings,
   * dates, booleans and ObjectIds (almost every key) are returned as the server's normalizeValue
   * returns them, unchanged, without its stream over a one-element list: that stream was the
   * largest single cost of a bulk insert.
   */
  static Object normalize(Object value) {
    if (value instanceof String || value instanceof Instant || value instanceof Boolean || value instanceof ObjectId)
      return value;
    return new KeyValue(Collections.singletonList(value)).normalized().get(0);
  }

  /** A normalized value as an index key element: scalars and null as they are, the rest as NON_SCALAR. */
  static Object keyElement(Object normalized) {
    return normalized == null || QueryPlan.isScalar(normalized) ? normalized : NON_SCALAR;
  }

  /** Numbers compare with numbers; everything else only with its own class (as the matcher does). */
  static boolean sameType(Object a, Object b) {
    if (a == null || b == null) return a == b;
    if (a instanceof Number && b instanceof Number) return true;
    return a.getClass().equals(b.getClass());
  }

  @Override
  public int compare(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = compareElement(a[i], b[i]);
      if (c != 0) return c;
    }
    return 0;
  }

  static int compareElement(Object a, Object b) {
    if (a == b) return 0;
    if (a == LOWEST || b == HIGHEST) return -1;
    if (a == HIGHEST || b == LOWEST) return 1;
    if (a == NON_SCALAR) return 1;
    if (b == NON_SCALAR) return -1;
    if (a instanceof TypeEdge e) return edgeVersus(e, b);
    if (b instanceof TypeEdge e) return -edgeVersus(e, a);
    // The server's comparator on two strings or two dates is exactly compareTo; it reaches it
    // only after finding each type's rank by reflection, which dominated index inserts.
    if (a instanceof String x && b instanceof String y) return Integer.signum(x.compareTo(y));
    if (a instanceof Instant x && b instanceof Instant y) return Integer.signum(x.compareTo(y));
    return Integer.signum(ValueComparator.asc().compare(a, b));
  }

  private static int edgeVersus(TypeEdge e, Object other) {
    Object value = other instanceof TypeEdge o ? o.sample() : other;
    if (sameType(e.sample(), value)) {
      if (other instanceof TypeEdge o) return Boolean.compare(e.high(), o.high());
      return e.high() ? 1 : -1;
    }
    // Different types: the server's type order decides, whatever the values are.
    return Integer.signum(ValueComparator.asc().compare(e.sample(), value));
  }

  static Object[] key(List<Object> values) {
    return values.toArray();
  }
}
