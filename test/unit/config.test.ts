import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

describe('loadConfig', () => {
  test('defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      dbEngine: 'auto',
      dbName: 'segments',
      logLevel: 'info',
    });
    expect(c.mongodbUri).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('reads and coerces good values', () => {
    const c = loadConfig({
      PORT: '0',
      MONGODB_URI: 'mongodb://127.0.0.1:27017/',
      DB_ENGINE: 'uri',
      JAVA_SERVER_HEAP: '1g',
      AGENDA_PROCESS_EVERY_MS: '200',
      LOG_LEVEL: 'silent',
    });
    expect(c).toMatchObject({ port: 0, dbEngine: 'uri', javaServerHeap: '1g', agendaProcessEveryMs: 200 });
  });

  test('an empty string counts as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '' }).port).toBe(3978);
  });

  test.each([
    ['PORT', 'abc', /PORT="abc": must be a whole number from 0 to 65535/],
    ['PORT', '70000', /PORT="70000": must be a whole number from 0 to 65535/],
    ['PORT', '1.5', /PORT/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud".*"info"/],
    ['DB_ENGINE', 'ferretdb', /DB_ENGINE="ferretdb".*"java-server"/],
    ['MONGODB_URI', 'http://x', /MONGODB_URI=\(hidden, 8 characters\): must start with mongodb:\/\//],
    ['DB_NAME', 'a.b', /DB_NAME="a.b": letters, digits/],
    ['JAVA_SERVER_HEAP', 'lots', /JAVA_SERVER_HEAP="lots": a JVM heap size/],
    ['AGENDA_PROCESS_EVERY_MS', '10', /AGENDA_PROCESS_EVERY_MS="10": must be a whole number from 50/],
    ['ADMIN_API_KEY', 'short', /ADMIN_API_KEY=\(hidden, 5 characters\): at least 16 characters/],
    [
      'ADMIN_API_KEY',
      ' '.repeat(16),
      /ADMIN_API_KEY=\(hidden, 16 characters\): at least 16 characters, without spaces/,
    ],
    ['BOT_PERSONALISATION', 'yes', /BOT_PERSONALISATION="yes": true or false/],
  ])('rejects %s=%s with one line naming it', (name, value, message) => {
    const run = () => loadConfig({ [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  test.each([
    ['ADMIN_API_KEY', 'short-secret'],
    ['MONGODB_URI', 'http://user:hunter2@db'],
    ['METRICS_TOKEN', 'short-token'],
  ])('a wrong %s is reported without its value (issue 28)', (name, value) => {
    expect.assertions(2);
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      expect((e as Error).message).not.toContain(value);
      expect((e as Error).message).toContain(`${name}=(hidden, ${value.length} characters)`);
    }
  });

  test.each(['ADMIN_API_KEY', 'METRICS_TOKEN'])(
    '%s set to an empty string is refused, not taken as "no key" (issue 28)',
    (name) => {
      const run = () => loadConfig({ [name]: '' });
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(new RegExp(`^${name} is set but empty: `));
    },
  );

  test('BOT_PERSONALISATION: on by default, "false" turns it off', () => {
    expect(loadConfig({}).bot.personalisation).toBe(true);
    expect(loadConfig({ BOT_PERSONALISATION: 'true' }).bot.personalisation).toBe(true);
    expect(loadConfig({ BOT_PERSONALISATION: 'false' }).bot.personalisation).toBe(false);
  });

  test('DB_ENGINE=uri needs MONGODB_URI', () => {
    expect(() => loadConfig({ DB_ENGINE: 'uri' })).toThrow(/MONGODB_URI must be set when DB_ENGINE=uri/);
  });
});
