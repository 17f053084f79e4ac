package segments.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.List;

/**
 * {@code aggregate} whose first stage is {@code $match}: mongo-java-server feeds every pipeline
 * the whole collection; here the {@code $match} goes through the query planner (so an index
 * serves it, as on MongoDB) and the rest of the pipeline runs on what it matched. The driver's
 * {@code countDocuments} is such a pipeline.
 */
final class IndexedAggregate {
  /** A collection that can answer a query through its indexes. */
  interface Matching {
    List<Document> matching(Document query);
  }

  private IndexedAggregate() {}

  /** The command's answer, or null to let the server run it as usual. */
  static Document run(MongoDatabase db, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
    if (!command.equalsIgnoreCase("aggregate") || !(query.get("pipeline") instanceof List<?> raw)) return null;
    String name = query.get(command).toString();
    MongoCollection<?> collection = db.resolveCollection(name, false);
    Document match = raw.isEmpty() || !(raw.get(0) instanceof Document first) || first.size() != 1
        ? null : first.get("$match") instanceof Document d ? d : null;
    if (match == null || !(collection instanceof Matching m)) {
      // The server streams the whole collection into this pipeline.
      if (collection != null) QueryStats.record(collection.getFullName(), new Document("aggregate", raw), null);
      return null;
    }
    List<Document> rest = Aggregation.parse(raw.subList(1, raw.size()));
    Aggregation aggregation = Aggregation.fromPipeline(rest, resolver, db, collection, oplog);
    aggregation.validate(query);
    List<Document> result = aggregation.runStages(m.matching(match).stream());
    Document cursor = new Document("id", 0L).append("ns", collection.getFullName()).append("firstBatch", result);
    return new Document("cursor", cursor).append("ok", 1.0);
  }
}
