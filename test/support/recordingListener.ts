/** A ContactChangeListener that records its calls, for tests of contact and event services. */
import type { ContactChangeListener } from '../../src/domain/contacts/types';

export interface RecordedChange {
  workspaceId: string;
  contactId: string;
  cause: 'contact' | 'event';
}

export class RecordingListener implements ContactChangeListener {
  readonly calls: RecordedChange[] = [];

  async contactChanged(workspaceId: string, contactId: string, cause: 'contact' | 'event'): Promise<void> {
    this.calls.push({ workspaceId, contactId, cause });
  }

  /** Calls for one contact. */
  for(contactId: string): RecordedChange[] {
    return this.calls.filter((c) => c.contactId === contactId);
  }
}
