package segments.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The in-memory backend (tests) with secondary indexes and the query-stats command. */
public class IndexedMemoryBackend extends MemoryBackend {
  @Override
  public MemoryDatabase openOrCreateDatabase(String databaseName) {
    return new Db(databaseName, getCursorRegistry());
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    if (command.equalsIgnoreCase(QueryStats.COMMAND)) return QueryStats.command(databaseName, query);
    return super.handleCommand(channel, databaseName, command, query);
  }

  static final class Db extends MemoryDatabase {
    Db(String name, CursorRegistry cursors) {
      super(name, cursors);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
      return new Collection(this, name, options, cursorRegistry);
    }

    @Override
    public Document handleCommand(
        Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
      Document indexed = IndexedAggregate.run(this, command, query, resolver, oplog);
      return indexed != null ? indexed : super.handleCommand(channel, command, query, resolver, oplog);
    }

    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new SecondaryIndex<>(indexName, keys, sparse);
    }
  }

  static final class Collection extends MemoryCollection implements IndexedAggregate.Matching {
    Collection(MongoDatabase db, String name, CollectionOptions options, CursorRegistry cursors) {
      super(db, name, options, cursors);
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
      // Positions are slots in a list that a scan walks in order.
      List<Integer> candidates = Planner.candidates(this, query, orderBy, Comparator.naturalOrder());
      if (candidates == null) return matchDocuments(query, orderBy, skip, limit, batchSize, fields);
      return matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
    }
  }
}
