/**
 * A stand-in for the product that does nothing, for running the generator against the model
 * alone (`npm run simulate -- --dry`): how often sequences reach memberships, transitions and
 * clock stops, measured in seconds instead of minutes, when tuning the generator.
 */
import { ManualClock } from '../support/manualClock';
import type { Driver, FeedItem, Reply } from './product';

export class DryProduct implements Driver {
  readonly dry = true;
  readonly clock = new ManualClock(Date.parse('2031-01-01T00:00:00.000Z'));
  private ids = 0;

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async restart(): Promise<void> {}
  async newWorkspace(): Promise<string> {
    this.clock.advance(86_400_000);
    return 'dry';
  }
  async dropWorkspaceData(): Promise<void> {}
  async settle(): Promise<void> {}
  async dispatched(): Promise<number> {
    return 0;
  }
  async nextRecheck(): Promise<number | null> {
    return null;
  }
  async memberships(): Promise<Map<string, { externalId?: string; segments: Set<string> }>> {
    return new Map();
  }
  async feed(cursor: number): Promise<{ items: FeedItem[]; cursor: number }> {
    return { items: [], cursor };
  }
  async call(): Promise<Reply> {
    const id = `dry${++this.ids}`;
    return { status: 200, body: { _id: id, results: [{ id }] } };
  }
}
