/**
 * The embedded database's stderr becomes one record per event: a client's reset connection and a
 * refused command are debug lines without a stack; anything else is one warning with its stack in
 * a field (never one record per frame). Samples are what mongo-java-server 1.47 prints.
 */
import { classify, javaLogWriter } from '../../../src/infra/db/javaLog';

const frames = (n: number) =>
  Array.from({ length: n }, (_, i) => `\tat io.netty.channel.nio.NioIoHandler.run(NioIoHandler.java:${i})`);

const RESET = [
  '[mongo-server-worker1] ERROR de.bwaldvogel.mongo.wire.MongoExceptionHandler - exception for client 8001b7f8',
  'java.net.SocketException: Connection reset',
  ...frames(17),
];
const REFUSED = [
  '[mongo-server-worker2] ERROR de.bwaldvogel.mongo.backend.AbstractMongoDatabase - unknown query: {"noSuchCommand" : 1, "$db" : "x"}',
  '[mongo-server-worker2] ERROR de.bwaldvogel.mongo.wire.MongoWireProtocolHandler - failed to handle {"noSuchCommand" : 1, "$db" : "x"}',
  "de.bwaldvogel.mongo.exception.NoSuchCommandException: [Error 59] no such command: 'noSuchCommand'",
  ...frames(25),
];
const BUG = [
  '[mongo-server-worker2] ERROR de.bwaldvogel.mongo.wire.MongoWireProtocolHandler - Unknown error!',
  'java.lang.ClassCastException: class java.lang.Integer cannot be cast to class de.bwaldvogel.mongo.bson.Document',
  ...frames(40),
];

function run(lines: string[], chunk = 37) {
  const records: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const sink = {
    warn: (obj: object, msg: string) =>
      records.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    debug: (obj: object, msg: string) =>
      records.push({ level: 'debug', obj: obj as Record<string, unknown>, msg }),
  };
  const w = javaLogWriter(sink, 42);
  // In odd-sized chunks, as a pipe delivers them.
  const text = lines.join('\n') + '\n';
  for (let i = 0; i < text.length; i += chunk) w.push(text.slice(i, i + chunk));
  w.end();
  return records;
}

test('a reset connection is one debug record without a stack', () => {
  expect(run(RESET)).toEqual([
    {
      level: 'debug',
      obj: { pid: 42, logger: 'de.bwaldvogel.mongo.wire.MongoExceptionHandler', why: 'client disconnected' },
      msg: 'mongo-java-server: exception for client 8001b7f8 (java.net.SocketException: Connection reset)',
    },
  ]);
});

test('a refused command is debug: the client received the error', () => {
  const records = run(REFUSED);
  expect(records.map((r) => r.level)).toEqual(['debug', 'debug']);
  expect(JSON.stringify(records)).not.toContain('\tat ');
});

test('anything else is one warning, its stack in a field', () => {
  const records = run([...RESET, ...BUG, ...REFUSED]);
  expect(records.map((r) => r.level)).toEqual(['debug', 'warn', 'debug', 'debug']);
  const warning = records[1]!;
  expect(warning.msg).toBe(
    'mongo-java-server: Unknown error! (java.lang.ClassCastException: class java.lang.Integer cannot be cast to class de.bwaldvogel.mongo.bson.Document)',
  );
  expect(String(warning.obj.stack).split('\n')).toHaveLength(31); // 30 frames and "(10 more lines)"
});

test("the JVM's own output (no log header) is a warning", () => {
  const records = run(['Terminating due to java.lang.OutOfMemoryError: Java heap space']);
  expect(records).toEqual([
    {
      level: 'warn',
      obj: { pid: 42 },
      msg: 'mongo-java-server: Terminating due to java.lang.OutOfMemoryError: Java heap space',
    },
  ]);
});

test('classify keeps a disconnect-looking message from another logger a warning', () => {
  expect(
    classify({ logger: 'x.Other', message: 'm', detail: ['java.net.SocketException: Connection reset'] }),
  ).toEqual({
    level: 'warn',
  });
});
