package segments.mongo;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.List;
import org.h2.mvstore.MVStore;

/**
 * Starts mongo-java-server for Segments: `--memory` (tests) or `--h2 <file>` (npm start), on
 * 127.0.0.1 and the given port (0 = ephemeral). Prints "LISTENING host:port" once bound so the
 * Node side reads the address instead of racing for a free port. Exits when stdin reaches EOF,
 * so it never outlives the Node process that started it, even when that one is SIGKILLed.
 * Both backends get real secondary indexes (see SecondaryIndex). Compiled once by the Node side
 * (src/infra/db/javaServer.ts) and run as: java -cp <classpath>:<classes> segments.mongo.Launcher --memory
 */
public class Launcher {
  /** The 7.x Node driver refuses wire versions under 9; the built-in MONGO_5_0 reports 8. */
  static final MongoVersion MONGO_4_4_WIRE_9 = new MongoVersion() {
    public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
    public int getWireVersion() { return 9; }
  };

  public static void main(String[] args) throws Exception {
    String h2File = null;
    boolean stock = false;
    String host = "127.0.0.1";
    int port = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--memory" -> h2File = null;
        case "--h2" -> h2File = args[++i];
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        // Stock in-memory mongo-java-server (no secondary indexes): the benchmarks' baseline.
        case "--stock" -> stock = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    MongoBackend backend =
        stock ? new MemoryBackend()
            : h2File == null ? new IndexedMemoryBackend() : new IndexedH2Backend(MVStore.open(h2File));
    backend.version(MONGO_4_4_WIRE_9);
    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    // The hook runs on SIGTERM/SIGINT and on System.exit: shutting the server down closes the backend, which flushes the H2 file.
    // Under heap pressure the flush can hang; a JVM that outlives its parent holds the H2 file's
    // lock and blocks the next start, so the watchdog halts it after 15 s whatever happens.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(15_000);
        } catch (InterruptedException e) {
          return;
        }
        Runtime.getRuntime().halt(2);
      });
      watchdog.setDaemon(true);
      watchdog.start();
      server.shutdownNow();
    }));
    InetSocketAddress address = server.getLocalAddress();
    System.out.println("LISTENING " + address.getHostString() + ":" + address.getPort());
    System.out.flush();
    while (System.in.read() != -1) {
      // Nothing is ever sent on stdin; reading only detects that the parent has gone.
    }
    System.exit(0);
  }
}
