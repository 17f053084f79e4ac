/**
 * Contact and event services on a fresh test database, rebuilt with a new recording listener
 * before each test; shared by the event test files.
 */
import { ContactService } from '../../src/domain/contacts/service';
import type { Contact } from '../../src/domain/contacts/types';
import { EventService } from '../../src/domain/events/service';
import { MongoContactRepo } from '../../src/infra/repos/contacts';
import { MongoEventRepo } from '../../src/infra/repos/events';
import { openTestDb, type TestDb } from './db';
import { RecordingListener } from './recordingListener';

export function eventServices(db: TestDb['db'], l: RecordingListener) {
  const repo = new MongoContactRepo(db);
  return {
    events: new EventService({ events: new MongoEventRepo(db), contacts: repo, listener: l }),
    contacts: new ContactService({ repo, listener: l }),
  };
}

export interface EventsHarness {
  t: TestDb;
  listener: RecordingListener;
  events: EventService;
  contacts: ContactService;
  eid(): string;
  newContact(): Promise<Contact>;
  one(contactId: string, type: string, data?: object, at?: string): Record<string, unknown>;
}

/** Installs the jest hooks; the returned object's fields are valid inside tests. */
export function useEventsHarness(dbPrefix: string, ws: string): EventsHarness {
  let seq = 0;
  const h = {
    eid: () => `e-${++seq}`,
    newContact: async () => (await h.contacts.upsert(ws, {})).contact,
    one: (contactId: string, type: string, data?: object, at?: string) => ({
      eventId: h.eid(),
      type,
      contactId,
      ...(data ? { data } : {}),
      ...(at ? { at } : {}),
    }),
  } as unknown as EventsHarness;
  beforeAll(async () => {
    h.t = await openTestDb(dbPrefix);
    await Promise.all([MongoContactRepo.ensureIndexes(h.t.db), MongoEventRepo.ensureIndexes(h.t.db)]);
  });
  beforeEach(() => {
    h.listener = new RecordingListener();
    Object.assign(h, eventServices(h.t.db, h.listener));
  });
  afterAll(() => h.t.close());
  return h;
}
