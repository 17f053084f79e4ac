package segments.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.lang.reflect.Field;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.MVStore;

/**
 * The H2 file backend (npm start) with secondary indexes and the query-stats command. The indexes
 * live in memory and are rebuilt from the documents when the file is opened.
 */
public class IndexedH2Backend extends H2Backend {
  public IndexedH2Backend(MVStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Db(databaseName, getMvStore(), getCursorRegistry());
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    if (command.equalsIgnoreCase(QueryStats.COMMAND)) return QueryStats.command(databaseName, query);
    return super.handleCommand(channel, databaseName, command, query);
  }

  static final class Db extends H2Database {
    Db(String name, MVStore store, CursorRegistry cursors) {
      super(name, store, cursors);
    }

    /**
     * Called from H2Database's constructor (before our own fields exist), so the store is read
     * from the superclass's private field; the map names are the ones H2Database uses.
     */
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String name, CollectionOptions options) {
      MVStore store = store(this);
      String full = getFullCollectionNamespace(name);
      MVMap<Object, Document> data = store.openMap("databases." + full);
      MVMap<String, Object> meta = store.openMap("meta." + full);
      return new Collection(this, name, options, data, meta, cursorRegistry);
    }

    @Override
    public Document handleCommand(
        Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
      Document indexed = IndexedAggregate.run(this, command, query, resolver, oplog);
      return indexed != null ? indexed : super.handleCommand(channel, command, query, resolver, oplog);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new SecondaryIndex<>(indexName, keys, sparse);
    }

    private static MVStore store(H2Database db) {
      try {
        Field f = H2Database.class.getDeclaredField("mvStore");
        f.setAccessible(true);
        return (MVStore) f.get(db);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("mongo-java-server's H2Database changed: no mvStore field", e);
      }
    }
  }

  static final class Collection extends H2Collection implements IndexedAggregate.Matching {
    private final MVMap<Object, Document> data;

    Collection(MongoDatabase db, String name, CollectionOptions options, MVMap<Object, Document> data,
        MVMap<String, Object> meta, CursorRegistry cursors) {
      super(db, name, options, data, meta, cursors);
      this.data = data;
    }

    /**
     * The map's own key order (a null _id is stored as Missing). Keys H2 cannot compare with each
     * other (it throws for some mixed types) fall back to MongoDB's value order: the results are
     * still a scan's, only the order of an unsorted query may then differ.
     */
    private int naturalOrder(Object a, Object b) {
      try {
        return data.getKeyType().compare(Missing.ofNullable(a), Missing.ofNullable(b));
      } catch (RuntimeException e) {
        return ValueComparator.asc().compare(a, b);
      }
    }

    @Override
    public synchronized List<Document> matching(Document query) {
      List<Document> out = new ArrayList<>();
      queryDocuments(query, null, 0, 0, 0, null).forEach(out::add);
      return out;
    }

    @Override
    protected QueryResult queryDocuments(
        Document query, Document orderBy, int skip, int limit, int batchSize, Document fields) {
      // A scan walks the map in its key order: sort the candidates the same way.
      List<Object> candidates = Planner.candidates(this, query, orderBy, this::naturalOrder);
      if (candidates == null) return matchDocuments(query, orderBy, skip, limit, batchSize, fields);
      try {
        return matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
      } catch (MVStoreException e) {
        // H2 cannot look some _id types up among others of a mixed-type collection ("Can not
        // compare"); a scan never looks anything up, and gives the same answer.
        return matchDocuments(query, orderBy, skip, limit, batchSize, fields);
      }
    }
  }
}
